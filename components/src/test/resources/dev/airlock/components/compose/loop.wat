;; Hostile composition test component: imports and exports test:compose/time with seconds returning
;; u32 (not u64), forwarding one to the other: linked to itself it makes a cycle, linked to app its
;; type does not fit. Rebuild with ./build.sh. Licence: Apache-2.0, as the rest of Airlock.
(component
  (import "test:compose/time@0.1.0" (instance $time
    (export "seconds" (func (result u32)))))
  (core func $seconds (canon lower (func $time "seconds")))
  (core instance $host (export "seconds" (func $seconds)))
  (core module $main
    (import "host" "seconds" (func $seconds (result i32)))
    (func (export "seconds") (result i32) (call $seconds)))
  (core instance $main (instantiate $main (with "host" (instance $host))))
  (func $s (result u32) (canon lift (core func $main "seconds")))
  (instance $x (export "seconds" (func $s)))
  (export "test:compose/time@0.1.0" (instance $x)))
