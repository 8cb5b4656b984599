;; Test component that imports interfaces (one using a resource of the other) and a function:
;; Airlock prints its world but supplies none of its imports yet. Rebuild with ./build.sh.
;; Licence: Apache-2.0, as the rest of Airlock.
(component
  (import "test:io/poll@0.1.0" (instance $poll
    (export "pollable" (type (sub resource)))))
  (alias export $poll "pollable" (type $pollable))
  (import "test:io/clock@0.1.0" (instance $clock
    (alias outer 1 $pollable (type $p))
    (export "pollable" (type $p2 (eq $p)))
    (type $instant u64)
    (export "instant" (type $i2 (eq $instant)))
    (export "now" (func (result $i2)))
    (export "subscribe" (func (param "when" $i2) (result (own $p2))))))
  (import "log" (func $log (param "msg" string)))
  (core module $m (func (export "f") (result i32) i32.const 7))
  (core instance $i (instantiate $m))
  (func (export "seven") (result u32) (canon lift (core func $i "f"))))
