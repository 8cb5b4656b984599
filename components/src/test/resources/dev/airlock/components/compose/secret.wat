;; Composition test component "secret": exports test:compose/secret (count-env: how many environment
;; variables its own policy grants it; upper: ASCII upper case of a string, in its own memory).
;; Rebuild with ./build.sh. Licence: Apache-2.0, as the rest of Airlock.
(component
  (import "wasi:cli/environment@0.2.0" (instance $env
    (export "get-environment" (func (result (list (tuple string string)))))))
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
  (core instance $host (export "get-environment" (func $getenv)))
  (core module $main
    (import "libc" "memory" (memory 1))
    (import "host" "get-environment" (func $getenv (param i32)))
    (func (export "count-env") (result i32)
      (call $getenv (i32.const 16))
      (i32.load (i32.const 20)))
    (func (export "upper") (param $p i32) (param $n i32) (result i32)
      (local $i i32) (local $c i32)
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $c (i32.load8_u (i32.add (local.get $p) (local.get $i))))
          (if (i32.and (i32.ge_u (local.get $c) (i32.const 97)) (i32.le_u (local.get $c) (i32.const 122)))
            (then (i32.store8 (i32.add (local.get $p) (local.get $i)) (i32.sub (local.get $c) (i32.const 32)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (i32.store (i32.const 32) (local.get $p))
      (i32.store (i32.const 36) (local.get $n))
      (i32.const 32)))
  (core instance $main (instantiate $main (with "libc" (instance $libc)) (with "host" (instance $host))))
  (func $count (result u32) (canon lift (core func $main "count-env")))
  (func $upper (param "s" string) (result string)
    (canon lift (core func $main "upper") (memory $mem) (realloc $realloc)))
  (instance $x (export "count-env" (func $count)) (export "upper" (func $upper)))
  (export "test:compose/secret@0.1.0" (instance $x)))
