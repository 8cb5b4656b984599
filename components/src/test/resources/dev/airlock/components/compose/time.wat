;; Composition test component "time": exports test:compose/time (seconds: the wall clock's seconds,
;; as its own policy's clock gives them). Rebuild with ./build.sh. Licence: Apache-2.0.
(component
  (import "wasi:clocks/wall-clock@0.2.0" (instance $clock
    (type $dt (record (field "seconds" u64) (field "nanoseconds" u32)))
    (export "datetime" (type $dt2 (eq $dt)))
    (export "now" (func (result $dt2)))))
  (core module $libc (memory (export "memory") 1))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))
  (core func $now (canon lower (func $clock "now") (memory $mem)))
  (core instance $host (export "now" (func $now)))
  (core module $main
    (import "libc" "memory" (memory 1))
    (import "host" "now" (func $now (param i32)))
    (func (export "seconds") (result i64)
      (call $now (i32.const 16))
      (i64.load (i32.const 16))))
  (core instance $main (instantiate $main (with "libc" (instance $libc)) (with "host" (instance $host))))
  (func $seconds (result u64) (canon lift (core func $main "seconds")))
  (instance $x (export "seconds" (func $seconds)))
  (export "test:compose/time@0.1.0" (instance $x)))
