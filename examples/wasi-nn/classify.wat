;; WASI-NN example: classifies one feature vector with the model the host grants as "classifier"
;; (./airlock run --nn-model classifier=examples/wasi-nn/classifier.onnx examples/wasi-nn/classify.wasm).
;; Prints "predicted class: N (label)"; when a wasi_ephemeral_nn call fails, prints which one and
;; its error code to stderr and exits 1. Rebuild classify.wasm with examples/wasi-nn/rebuild.
(module
  (import "wasi_ephemeral_nn" "load_by_name" (func $load_by_name (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_nn" "init_execution_context" (func $init_execution_context (param i32 i32) (result i32)))
  (import "wasi_ephemeral_nn" "set_input" (func $set_input (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_nn" "compute" (func $compute (param i32) (result i32)))
  (import "wasi_ephemeral_nn" "get_output" (func $get_output (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)

  ;; memory map: 0 iovec and byte count; 0x100 graph, 0x104 context, 0x108 output size;
  ;; 0x200 the input tensor record; 0x300 its dimensions; 0x400 its data; 0x500 the output
  (data (i32.const 64) "classifier")
  (data (i32.const 0x700) "predicted class: ")
  (data (i32.const 0x720) "wasi-nn ")
  (data (i32.const 0x730) " failed: error ")
  (data (i32.const 0x740) "load_by_name")
  (data (i32.const 0x750) "init_execution_context")
  (data (i32.const 0x770) "set_input")
  (data (i32.const 0x780) "compute")
  (data (i32.const 0x790) "get_output")
  (data (i32.const 0x7a0) " (")
  (data (i32.const 0x7a4) ")\n")
  ;; error names, 24-byte slots: length, then text
  (data (i32.const 0x800) "\07success")
  (data (i32.const 0x818) "\10invalid_argument")
  (data (i32.const 0x830) "\10invalid_encoding")
  (data (i32.const 0x848) "\0emissing_memory")
  (data (i32.const 0x860) "\04busy")
  (data (i32.const 0x878) "\0druntime_error")
  (data (i32.const 0x890) "\15unsupported_operation")
  (data (i32.const 0x8a8) "\09too_large")
  (data (i32.const 0x8c0) "\09not_found")
  ;; class labels, 16-byte slots: length, then text
  (data (i32.const 0x900) "\03low")
  (data (i32.const 0x910) "\06medium")
  (data (i32.const 0x920) "\04high")

  ;; writes len bytes at ptr to fd
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; writes n in decimal to fd
  (func $number (param $fd i32) (param $n i32)
    (local $p i32)
    (local.set $p (i32.const 0x6f0))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digits (local.get $n)))
    (call $write (local.get $fd) (local.get $p) (i32.sub (i32.const 0x6f0) (local.get $p))))

  ;; writes the text of a length-prefixed slot to fd
  (func $slot (param $fd i32) (param $at i32)
    (call $write (local.get $fd)
      (i32.add (local.get $at) (i32.const 1)) (i32.load8_u (local.get $at))))

  ;; on an error: "wasi-nn WHAT failed: error N (name)" on stderr, exit 1
  (func $check (param $errno i32) (param $what i32) (param $len i32)
    (if (local.get $errno)
      (then
        (call $write (i32.const 2) (i32.const 0x720) (i32.const 8))
        (call $write (i32.const 2) (local.get $what) (local.get $len))
        (call $write (i32.const 2) (i32.const 0x730) (i32.const 15))
        (call $number (i32.const 2) (local.get $errno))
        (if (i32.le_u (local.get $errno) (i32.const 8))
          (then
            (call $write (i32.const 2) (i32.const 0x7a0) (i32.const 2))
            (call $slot (i32.const 2)
              (i32.add (i32.const 0x800) (i32.mul (local.get $errno) (i32.const 24))))
            (call $write (i32.const 2) (i32.const 0x7a4) (i32.const 2)))
          (else (call $write (i32.const 2) (i32.const 0x7a5) (i32.const 1))))
        (call $proc_exit (i32.const 1)))))

  (func (export "_start")
    (local $class i32)
    ;; the features: a [1, 4] f32 tensor
    (f32.store (i32.const 0x400) (f32.const 0.2))
    (f32.store (i32.const 0x404) (f32.const 0.4))
    (f32.store (i32.const 0x408) (f32.const 0.9))
    (f32.store (i32.const 0x40c) (f32.const 1.0))
    (i32.store (i32.const 0x300) (i32.const 1))
    (i32.store (i32.const 0x304) (i32.const 4))
    ;; the tensor record: dimensions (pointer, count), type (f32 = 1), data (pointer, length)
    (i32.store (i32.const 0x200) (i32.const 0x300))
    (i32.store (i32.const 0x204) (i32.const 2))
    (i32.store (i32.const 0x208) (i32.const 1))
    (i32.store (i32.const 0x20c) (i32.const 0x400))
    (i32.store (i32.const 0x210) (i32.const 16))

    (call $check (call $load_by_name (i32.const 64) (i32.const 10) (i32.const 0x100))
      (i32.const 0x740) (i32.const 12))
    (call $check (call $init_execution_context (i32.load (i32.const 0x100)) (i32.const 0x104))
      (i32.const 0x750) (i32.const 22))
    (call $check (call $set_input (i32.load (i32.const 0x104)) (i32.const 0) (i32.const 0x200))
      (i32.const 0x770) (i32.const 9))
    (call $check (call $compute (i32.load (i32.const 0x104)))
      (i32.const 0x780) (i32.const 7))
    ;; output 1 is the class, an i64
    (call $check (call $get_output (i32.load (i32.const 0x104)) (i32.const 1)
                   (i32.const 0x500) (i32.const 8) (i32.const 0x108))
      (i32.const 0x790) (i32.const 10))

    (local.set $class (i32.load (i32.const 0x500)))
    (call $write (i32.const 1) (i32.const 0x700) (i32.const 17))
    (call $number (i32.const 1) (local.get $class))
    (if (i32.lt_u (local.get $class) (i32.const 3))
      (then
        (call $write (i32.const 1) (i32.const 0x7a0) (i32.const 2))
        (call $slot (i32.const 1)
          (i32.add (i32.const 0x900) (i32.mul (local.get $class) (i32.const 16))))
        (call $write (i32.const 1) (i32.const 0x7a4) (i32.const 2)))
      (else (call $write (i32.const 1) (i32.const 0x7a5) (i32.const 1))))))
