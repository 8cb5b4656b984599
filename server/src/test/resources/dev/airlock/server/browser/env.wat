;; Prints its environment, one NAME=value per line: only what the policy grants is there.
(module
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start") (local $len i32) (local $i i32)
    ;; count at 0, buffer size at 4, pointers from 64, strings from 1024
    (drop (call $sizes (i32.const 0) (i32.const 4)))
    (drop (call $environ (i32.const 64) (i32.const 1024)))
    (local.set $len (i32.load (i32.const 4)))
    ;; NUL separators become newlines
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (if (i32.eqz (i32.load8_u (i32.add (i32.const 1024) (local.get $i))))
          (then (i32.store8 (i32.add (i32.const 1024) (local.get $i)) (i32.const 10))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.store (i32.const 16) (i32.const 1024))
    (i32.store (i32.const 20) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))
