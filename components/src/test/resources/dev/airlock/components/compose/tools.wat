;; Composition test component "tools": imports Airlock's host tools (airlock:tools/call) and exports
;; ask, which calls one by name with JSON arguments and returns its JSON result or error message.
;; Rebuild with ./build.sh. Licence: Apache-2.0, as the rest of Airlock.
(component
  (import "airlock:tools/call@0.1.0" (instance $tools
    (export "call" (func (param "name" string) (param "arguments" string)
      (result (result string (error string)))))))
  (core module $libc
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 4096))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p
        (i32.and (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
                 (i32.sub (i32.const 0) (local.get 2))))
      (global.set $bump (i32.add (local.get $p) (local.get 3)))
      (local.get $p)))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))
  (core func $call (canon lower (func $tools "call") (memory $mem) (realloc $realloc)))
  (core instance $host (export "call" (func $call)))
  (core module $main
    (import "libc" "memory" (memory 1))
    (import "host" "call" (func $call (param i32 i32 i32 i32 i32)))
    (func (export "ask") (param i32 i32 i32 i32) (result i32)
      (call $call (local.get 0) (local.get 1) (local.get 2) (local.get 3) (i32.const 64))
      (i32.const 64)))
  (core instance $main (instantiate $main (with "libc" (instance $libc)) (with "host" (instance $host))))
  (func (export "ask") (param "name" string) (param "arguments" string)
    (result (result string (error string)))
    (canon lift (core func $main "ask") (memory $mem) (realloc $realloc))))
