;; Hostile test component: imports wasi:sockets (never granted) beside wasi:cli/stdout, and exports
;; wasi:cli/run. Airlock must refuse it before anything runs. Rebuild with ../build.sh.
;; Licence: Apache-2.0, as the rest of Airlock.
(component
  (import "wasi:sockets/network@0.2.0" (instance $net
    (export "network" (type (sub resource)))))
  (core module $m (func (export "run") (result i32) i32.const 0))
  (core instance $i (instantiate $m))
  (type $r (result))
  (func $run (result $r) (canon lift (core func $i "run")))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run-instance)))
