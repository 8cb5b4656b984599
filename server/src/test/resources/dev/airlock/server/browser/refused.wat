;; Imports a host function nobody grants: refused before it runs, on the server and in the browser.
(module
  (import "env" "secret" (func $secret (result i32)))
  (memory (export "memory") 1)
  (func (export "_start") (drop (call $secret))))
