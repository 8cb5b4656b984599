;; A counted loop (200,000 rounds), then "counted" on stdout and exit code 7: fuel and exit status.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "counted\n")
  (func (export "_start") (local $i i32) (local $acc i32)
    (local.set $i (i32.const 200000))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $i)))
        (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (i32.const 3))))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 8))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))
    (call $proc_exit (i32.const 7))))
