;; Composition test component "counter-user": imports the resource counter of test:types/echo
;; (exported by the test component types.wasm) and uses it across: run makes a counter at 5, adds
;; 10, makes and drops another, reads it (15) and passes it back owned to take-counter (15); it
;; returns 1000 * read + taken = 15015. Rebuild with ./build.sh. Licence: Apache-2.0.
(component
  (import "test:types/echo" (instance $echo
    (export "counter" (type $c (sub resource)))
    (export "[constructor]counter" (func (param "start" u32) (result (own $c))))
    (export "[method]counter.get" (func (param "self" (borrow $c)) (result u32)))
    (export "[method]counter.add" (func (param "self" (borrow $c)) (param "n" u32)))
    (export "take-counter" (func (param "c" (own $c)) (result u32)))))
  (alias export $echo "counter" (type $counter))
  (core func $new (canon lower (func $echo "[constructor]counter")))
  (core func $get (canon lower (func $echo "[method]counter.get")))
  (core func $add (canon lower (func $echo "[method]counter.add")))
  (core func $take (canon lower (func $echo "take-counter")))
  (core func $drop (canon resource.drop $counter))
  (core instance $host
    (export "new" (func $new)) (export "get" (func $get)) (export "add" (func $add))
    (export "take" (func $take)) (export "drop" (func $drop)))
  (core module $main
    (import "host" "new" (func $new (param i32) (result i32)))
    (import "host" "get" (func $get (param i32) (result i32)))
    (import "host" "add" (func $add (param i32 i32)))
    (import "host" "take" (func $take (param i32) (result i32)))
    (import "host" "drop" (func $drop (param i32)))
    (func (export "run") (result i32)
      (local $c i32) (local $d i32) (local $v i32)
      (local.set $c (call $new (i32.const 5)))
      (call $add (local.get $c) (i32.const 10))
      (local.set $d (call $new (i32.const 100)))
      (call $drop (local.get $d))
      (local.set $v (call $get (local.get $c)))
      (i32.add (i32.mul (local.get $v) (i32.const 1000)) (call $take (local.get $c))))
    ;; uses a handle after passing it on: the callee owns it now, so this traps
    (func (export "use-after-give") (result i32)
      (local $c i32)
      (local.set $c (call $new (i32.const 1)))
      (drop (call $take (local.get $c)))
      (call $get (local.get $c))))
  (core instance $main (instantiate $main (with "host" (instance $host))))
  (func (export "run") (result u32) (canon lift (core func $main "run")))
  (func (export "use-after-give") (result u32) (canon lift (core func $main "use-after-give"))))
