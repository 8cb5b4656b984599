;; A WASI skill with two tools, in WebAssembly text. The tool's name is argv[1], its JSON input
;; comes on stdin, its JSON result goes to stdout:
;;   echo   {"input": INPUT}
;;   count  {"bytes": N}   (N: the length of the input as the sandbox passed it)
;; It imports only stdio, arguments and exit, so its manifest declares no capabilities.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 2)
  ;; 0: read iovec, 8: nread, 16: write iovec, 24: nwritten, 32: argc, 36: argv_buf size,
  ;; 64: argv pointers (at most 16), 256: argv strings (at most 1 KiB), 2048-2100: digits,
  ;; 3000: constants, 4096-131072: the input
  (data (i32.const 3000) "echo\00")
  (data (i32.const 3008) "count\00")
  (data (i32.const 3016) "{\"input\":")
  (data (i32.const 3032) "}\n")
  (data (i32.const 3040) "{\"bytes\":")
  (data (i32.const 3056) "unknown tool\n")

  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 16) (local.get $ptr))
    (i32.store (i32.const 20) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 24))))

  (func $streq (param $a i32) (param $b i32) (result i32)
    (local $c i32)
    (loop $next
      (local.set $c (i32.load8_u (local.get $a)))
      (if (i32.ne (local.get $c) (i32.load8_u (local.get $b))) (then (return (i32.const 0))))
      (if (i32.eqz (local.get $c)) (then (return (i32.const 1))))
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $next))
    (i32.const 0))

  ;; reads stdin to 4096..; returns its length, exits 3 if it does not fit
  (func $read_input (result i32)
    (local $len i32)
    (loop $more
      (i32.store (i32.const 0) (i32.add (i32.const 4096) (local.get $len)))
      (i32.store (i32.const 4) (i32.sub (i32.const 126976) (local.get $len)))
      (if (i32.eqz (i32.load (i32.const 4))) (then (call $proc_exit (i32.const 3))))
      (if (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8))
        (then (call $proc_exit (i32.const 4))))
      (if (i32.load (i32.const 8))
        (then
          (local.set $len (i32.add (local.get $len) (i32.load (i32.const 8))))
          (br $more))))
    (local.get $len))

  ;; writes the decimal digits of $n
  (func $write_number (param $n i32)
    (local $p i32)
    (local.set $p (i32.const 2100))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (call $write (i32.const 1) (local.get $p) (i32.sub (i32.const 2100) (local.get $p))))

  (func (export "_start")
    (local $tool i32)
    (local $len i32)
    (drop (call $args_sizes_get (i32.const 32) (i32.const 36)))
    (if (i32.or (i32.lt_u (i32.load (i32.const 32)) (i32.const 2))
                (i32.or (i32.gt_u (i32.load (i32.const 32)) (i32.const 16))
                        (i32.gt_u (i32.load (i32.const 36)) (i32.const 1024))))
      (then (call $write (i32.const 2) (i32.const 3056) (i32.const 13)) (call $proc_exit (i32.const 2))))
    (drop (call $args_get (i32.const 64) (i32.const 256)))
    (local.set $tool (i32.load (i32.const 68)))
    (local.set $len (call $read_input))
    (if (call $streq (local.get $tool) (i32.const 3000))
      (then
        (call $write (i32.const 1) (i32.const 3016) (i32.const 9))
        (call $write (i32.const 1) (i32.const 4096) (local.get $len))
        (call $write (i32.const 1) (i32.const 3032) (i32.const 2))
        (return)))
    (if (call $streq (local.get $tool) (i32.const 3008))
      (then
        (call $write (i32.const 1) (i32.const 3040) (i32.const 9))
        (call $write_number (local.get $len))
        (call $write (i32.const 1) (i32.const 3032) (i32.const 2))
        (return)))
    (call $write (i32.const 2) (i32.const 3056) (i32.const 13))
    (call $proc_exit (i32.const 2))))
