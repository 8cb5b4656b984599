;; Hostile test component: lowers a function of a WASI 0.2 interface that WASI does not have
;; (wasi:cli/environment#get-secrets) into its core module. Airlock supplies the interface's real
;; functions only, so the component is refused before it runs. Rebuild with ../build.sh.
;; Licence: Apache-2.0, as the rest of Airlock.
(component
  (import "wasi:cli/environment@0.2.0" (instance $env
    (export "get-secrets" (func (result u32)))))
  (core func $secrets (canon lower (func $env "get-secrets")))
  (core module $m
    (import "env" "get-secrets" (func (result i32)))
    (func (export "run") (result i32) i32.const 0))
  (core instance $host (export "get-secrets" (func $secrets)))
  (core instance $i (instantiate $m (with "env" (instance $host))))
  (type $r (result))
  (func $run (result $r) (canon lift (core func $i "run")))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run-instance)))
