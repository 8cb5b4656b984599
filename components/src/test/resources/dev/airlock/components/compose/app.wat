;; Composition test component "app": imports test:compose/secret and test:compose/time (supplied by
;; other components) and wasi:cli/environment; report gives (its own environment's size, secret's,
;; time's seconds), shout passes a string through secret's upper. Rebuild with ./build.sh.
;; Licence: Apache-2.0, as the rest of Airlock.
(component
  (import "wasi:cli/environment@0.2.0" (instance $env
    (export "get-environment" (func (result (list (tuple string string)))))))
  (import "test:compose/secret@0.1.0" (instance $secret
    (export "count-env" (func (result u32)))
    (export "upper" (func (param "s" string) (result string)))))
  (import "test:compose/time@0.1.0" (instance $time
    (export "seconds" (func (result u64)))))
  (core module $libc
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 4096))
    ;; a bump allocator: realloc(old, old-size, align, size) never frees
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
  (core func $getenv (canon lower (func $env "get-environment") (memory $mem) (realloc $realloc)))
  (core func $count (canon lower (func $secret "count-env")))
  (core func $upper (canon lower (func $secret "upper") (memory $mem) (realloc $realloc)))
  (core func $seconds (canon lower (func $time "seconds")))
  (core instance $host
    (export "get-environment" (func $getenv))
    (export "count-env" (func $count))
    (export "upper" (func $upper))
    (export "seconds" (func $seconds)))
  (core module $main
    (import "libc" "memory" (memory 1))
    (import "host" "get-environment" (func $getenv (param i32)))
    (import "host" "count-env" (func $count (result i32)))
    (import "host" "upper" (func $upper (param i32 i32 i32)))
    (import "host" "seconds" (func $seconds (result i64)))
    (func (export "report") (result i32)
      (call $getenv (i32.const 16))
      (i32.store (i32.const 64) (i32.load (i32.const 20)))
      (i32.store (i32.const 68) (call $count))
      (i64.store (i32.const 72) (call $seconds))
      (i32.const 64))
    (func (export "shout") (param i32 i32) (result i32)
      (call $upper (local.get 0) (local.get 1) (i32.const 32))
      (i32.const 32)))
  (core instance $main (instantiate $main (with "libc" (instance $libc)) (with "host" (instance $host))))
  (func (export "report") (result (tuple u32 u32 u64))
    (canon lift (core func $main "report") (memory $mem)))
  (func (export "shout") (param "s" string) (result string)
    (canon lift (core func $main "shout") (memory $mem) (realloc $realloc))))
