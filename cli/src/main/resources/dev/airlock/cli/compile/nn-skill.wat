;; The guest of a skill made by `airlock compile`: reads the tool's JSON input on stdin, turns each
;; named input (nested arrays of numbers) into a tensor, runs the skill's one model through
;; wasi_ephemeral_nn (load_by_name, init_execution_context, set_input, compute, get_output) and
;; prints {"OUTPUT": [numbers, row-major], ..., "top": [...]} on stdout. It imports nothing else
;; but stdio and exit. `airlock compile` fills in the layout below (the model's name, each input's
;; JSON key, tensor type and rank, each output's key and type, normalisation and labels) and
;; assembles this text; the result is main.wasm, and this filled-in text main.wat, in the skill.
;; Errors: one line on stderr, exit 1.
(module
  (import "wasi_ephemeral_nn" "load_by_name" (func $load_by_name (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_nn" "init_execution_context" (func $init (param i32 i32) (result i32)))
  (import "wasi_ephemeral_nn" "set_input" (func $set_input (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_nn" "compute" (func $compute (param i32) (result i32)))
  (import "wasi_ephemeral_nn" "get_output" (func $get_output (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") @PAGES@)

  ;; memory map: 0x00 iovec, 0x08 count, 0x10 graph, 0x14 context, 0x18 bytes written,
  ;; 0x40-0xff digits; 0x100 header: inputs 0x100, outputs 0x104, normalise 0x108, mean f32 0x10c,
  ;; std f32 0x110, labelled output 0x114 (-1: none), labels 0x118, label table 0x11c (ptr, len
  ;; pairs), model name 0x120 and length 0x124; 0x200 inputs, 128 bytes each: key ptr, key len,
  ;; type, rank, data ptr, data len, found, -, dims[8] at +32, counts[8] at +64, dims seen +96,
  ;; tensor record +100; 0xa00 outputs, 32 bytes each: key ptr, key len, type, data ptr, data len;
  ;; 0xc00 messages, 64-byte slots; 0xe00 error names, 24-byte slots; 0x1000 the layout's strings;
  ;; from $heap: stdin, then tensors.
  ;; element sizes by tensor type: f16 2, f32 4, f64 8, u8 1, i32 4, i64 8
  (data (i32.const 0x30) "\02\04\08\01\04\08")
  (data (i32.const 0xc00) "error: input is not valid JSON for this model")
  (data (i32.const 0xc40) "error: missing input ")
  (data (i32.const 0xc80) "error: wrong nesting depth (rank) for input ")
  (data (i32.const 0xcc0) "error: arrays of unequal length in input ")
  (data (i32.const 0xd00) "error: not a number of the right kind in input ")
  (data (i32.const 0xd40) "error: out of memory")
  (data (i32.const 0xd80) "error: wasi-nn ")
  (data (i32.const 0xdc0) " failed: ")
  (data (i32.const 0xe00) "success")
  (data (i32.const 0xe18) "invalid_argument")
  (data (i32.const 0xe30) "invalid_encoding")
  (data (i32.const 0xe48) "missing_memory")
  (data (i32.const 0xe60) "busy")
  (data (i32.const 0xe78) "runtime_error")
  (data (i32.const 0xe90) "unsupported_operation")
  (data (i32.const 0xea8) "too_large")
  (data (i32.const 0xec0) "not_found")
  (data (i32.const 0xf00) "load_by_name")
  (data (i32.const 0xf20) "init_execution_context")
  (data (i32.const 0xf40) "set_input")
  (data (i32.const 0xf60) "compute")
  (data (i32.const 0xf80) "get_output")
  (data (i32.const 0xfa0) "\n")
  (data (i32.const 0xfa4) "\"top\":[")
  (data (i32.const 0xfb0) "{\"index\":")
  (data (i32.const 0xfc0) ",\"label\":\"")
  (data (i32.const 0xfd0) "\",\"score\":")
  (data (i32.const 0xfe0) "null")
@LAYOUT@
  (global $heap (mut i32) (i32.const @HEAP@))
  (global $pos (mut i32) (i32.const 0))
  (global $end (mut i32) (i32.const 0))
  (global $mant (mut i64) (i64.const 0))
  (global $exp (mut i32) (i32.const 0))
  (global $neg (mut i32) (i32.const 0))

  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; writes the zero-terminated text at ptr to fd
  (func $text (param $fd i32) (param $ptr i32)
    (local $n i32)
    (block $done (loop $scan
      (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $ptr) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $scan)))
    (call $write (local.get $fd) (local.get $ptr) (local.get $n)))

  (func $out (param $c i32)
    (i32.store8 (i32.const 0x3c) (local.get $c))
    (call $write (i32.const 1) (i32.const 0x3c) (i32.const 1)))

  ;; message slot, then the text (ptr, len), a newline, exit 1
  (func $fail (param $msg i32) (param $ptr i32) (param $len i32)
    (call $text (i32.const 2) (local.get $msg))
    (call $write (i32.const 2) (local.get $ptr) (local.get $len))
    (call $write (i32.const 2) (i32.const 0xfa0) (i32.const 1))
    (call $proc_exit (i32.const 1)))

  (func $check (param $errno i32) (param $call i32)
    (if (local.get $errno)
      (then
        (call $text (i32.const 2) (i32.const 0xd80))
        (call $text (i32.const 2) (local.get $call))
        (call $text (i32.const 2) (i32.const 0xdc0))
        (if (i32.le_u (local.get $errno) (i32.const 8))
          (then (call $text (i32.const 2)
                  (i32.add (i32.const 0xe00) (i32.mul (local.get $errno) (i32.const 24))))))
        ;; 0xfe4: an empty text (the zero after "null")
        (call $fail (i32.const 0xfe4) (i32.const 0) (i32.const 0)))))

  ;; n bytes from the heap, 8-aligned; grows memory as needed
  (func $alloc (param $n i32) (result i32)
    (local $p i32) (local $top i32) (local $have i32)
    (local.set $p (global.get $heap))
    (local.set $top (i32.and (i32.add (i32.add (local.get $p) (local.get $n)) (i32.const 7))
                             (i32.const -8)))
    (if (i32.lt_u (local.get $top) (local.get $p))
      (then (call $fail (i32.const 0xd40) (i32.const 0) (i32.const 0))))
    (local.set $have (i32.shl (memory.size) (i32.const 16)))
    (if (i32.gt_u (local.get $top) (local.get $have))
      (then
        (if (i32.lt_s (memory.grow (i32.shr_u (i32.add (i32.sub (local.get $top) (local.get $have))
                                                       (i32.const 0xffff)) (i32.const 16)))
                      (i32.const 0))
          (then (call $fail (i32.const 0xd40) (i32.const 0) (i32.const 0))))))
    (global.set $heap (local.get $top))
    (local.get $p))

  (func $read_stdin
    (local $p i32)
    (global.set $pos (global.get $heap))
    (loop $more
      (local.set $p (call $alloc (i32.const 65536)))
      (i32.store (i32.const 0) (local.get $p))
      (i32.store (i32.const 4) (i32.const 65536))
      (if (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8))
        (then (call $fail (i32.const 0xc00) (i32.const 0) (i32.const 0))))
      (global.set $heap (i32.add (local.get $p) (i32.load (i32.const 8))))
      (br_if $more (i32.load (i32.const 8))))
    (global.set $end (global.get $heap))
    (drop (call $alloc (i32.const 8))))

  (func $peek (result i32)
    (if (result i32) (i32.lt_u (global.get $pos) (global.get $end))
      (then (i32.load8_u (global.get $pos))) (else (i32.const 0))))

  (func $ws
    (loop $skip
      (if (i32.or (i32.or (i32.eq (call $peek) (i32.const 32)) (i32.eq (call $peek) (i32.const 10)))
                  (i32.or (i32.eq (call $peek) (i32.const 13)) (i32.eq (call $peek) (i32.const 9))))
        (then (global.set $pos (i32.add (global.get $pos) (i32.const 1))) (br $skip)))))

  (func $expect (param $c i32)
    (call $ws)
    (if (i32.ne (call $peek) (local.get $c))
      (then (call $fail (i32.const 0xc00) (i32.const 0) (i32.const 0))))
    (global.set $pos (i32.add (global.get $pos) (i32.const 1))))

  ;; skips a string at pos (after ws), leaving pos after its closing quote
  (func $skip_string
    (call $expect (i32.const 34))
    (block $done (loop $chars
      (if (i32.ge_u (global.get $pos) (global.get $end))
        (then (call $fail (i32.const 0xc00) (i32.const 0) (i32.const 0))))
      (br_if $done (i32.eq (call $peek) (i32.const 34)))
      (if (i32.eq (call $peek) (i32.const 92))
        (then (global.set $pos (i32.add (global.get $pos) (i32.const 1)))))
      (global.set $pos (i32.add (global.get $pos) (i32.const 1)))
      (br $chars)))
    (global.set $pos (i32.add (global.get $pos) (i32.const 1))))

  ;; skips any JSON value (strings, numbers, literals, arrays, objects)
  (func $skip_value
    (local $depth i32) (local $c i32)
    (loop $next
      (call $ws)
      (local.set $c (call $peek))
      (if (i32.eqz (local.get $c)) (then (call $fail (i32.const 0xc00) (i32.const 0) (i32.const 0))))
      (if (i32.eq (local.get $c) (i32.const 34))
        (then (call $skip_string))
        (else (if (i32.or (i32.eq (local.get $c) (i32.const 91)) (i32.eq (local.get $c) (i32.const 123)))
          (then (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
                (global.set $pos (i32.add (global.get $pos) (i32.const 1))))
          (else (if (i32.or (i32.eq (local.get $c) (i32.const 93)) (i32.eq (local.get $c) (i32.const 125)))
            (then (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
                  (global.set $pos (i32.add (global.get $pos) (i32.const 1))))
            (else (if (i32.or (i32.eq (local.get $c) (i32.const 44)) (i32.eq (local.get $c) (i32.const 58)))
              (then (global.set $pos (i32.add (global.get $pos) (i32.const 1))))
              ;; a number or literal: up to the next delimiter
              (else (loop $scalar
                (global.set $pos (i32.add (global.get $pos) (i32.const 1)))
                (local.set $c (call $peek))
                (br_if $scalar (i32.eqz (i32.or (i32.or (i32.or (i32.eqz (local.get $c)) (i32.eq (local.get $c) (i32.const 44)))
                                                        (i32.or (i32.eq (local.get $c) (i32.const 93)) (i32.eq (local.get $c) (i32.const 125))))
                                                (i32.or (i32.le_u (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 58)))))))))))))))
      (br_if $next (i32.gt_s (local.get $depth) (i32.const 0)))))

  ;; the input entry whose key is the string at pos (consumed), or 0
  (func $find_input (result i32)
    (local $start i32) (local $len i32) (local $i i32) (local $e i32)
    (call $ws)
    (local.set $start (i32.add (global.get $pos) (i32.const 1)))
    (call $skip_string)
    (local.set $len (i32.sub (i32.sub (global.get $pos) (local.get $start)) (i32.const 1)))
    (block $found (loop $each
      (br_if $found (i32.ge_u (local.get $i) (i32.load (i32.const 0x100))))
      (local.set $e (i32.add (i32.const 0x200) (i32.shl (local.get $i) (i32.const 7))))
      (if (i32.eq (i32.load offset=4 (local.get $e)) (local.get $len))
        (then (if (call $same (i32.load (local.get $e)) (local.get $start) (local.get $len))
          (then (return (local.get $e))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $each)))
    (i32.const 0))

  (func $same (param $a i32) (param $b i32) (param $n i32) (result i32)
    (block $differ (loop $bytes
      (if (i32.eqz (local.get $n)) (then (return (i32.const 1))))
      (br_if $differ (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $bytes)))
    (i32.const 0))

  (func $digit (result i32)
    (i32.lt_u (i32.sub (call $peek) (i32.const 48)) (i32.const 10)))

  ;; a JSON number at pos into $neg, $mant (up to 18 significant digits) and $exp (power of ten)
  (func $number (param $e i32)
    (local $any i32) (local $x i32) (local $eneg i32)
    (call $ws)
    (global.set $neg (i32.eq (call $peek) (i32.const 45)))
    (if (global.get $neg) (then (global.set $pos (i32.add (global.get $pos) (i32.const 1)))))
    (global.set $mant (i64.const 0))
    (global.set $exp (i32.const 0))
    (loop $int (if (call $digit) (then
      (call $push_digit (i32.const 0))
      (local.set $any (i32.const 1)) (br $int))))
    (if (i32.eq (call $peek) (i32.const 46)) (then
      (global.set $pos (i32.add (global.get $pos) (i32.const 1)))
      (loop $frac (if (call $digit) (then
        (call $push_digit (i32.const 1))
        (local.set $any (i32.const 1)) (br $frac))))))
    (if (i32.eqz (local.get $any))
      (then (call $fail (i32.const 0xd00) (i32.load (local.get $e)) (i32.load offset=4 (local.get $e)))))
    (if (i32.eq (i32.or (call $peek) (i32.const 32)) (i32.const 101)) (then
      (global.set $pos (i32.add (global.get $pos) (i32.const 1)))
      (if (i32.eq (call $peek) (i32.const 45)) (then (local.set $eneg (i32.const 1))))
      (if (i32.or (i32.eq (call $peek) (i32.const 45)) (i32.eq (call $peek) (i32.const 43)))
        (then (global.set $pos (i32.add (global.get $pos) (i32.const 1)))))
      (if (i32.eqz (call $digit))
        (then (call $fail (i32.const 0xd00) (i32.load (local.get $e)) (i32.load offset=4 (local.get $e)))))
      (loop $ex (if (call $digit) (then
        (if (i32.lt_u (local.get $x) (i32.const 100000))
          (then (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 10))
                                       (i32.sub (call $peek) (i32.const 48))))))
        (global.set $pos (i32.add (global.get $pos) (i32.const 1)))
        (br $ex))))
      (global.set $exp (i32.add (global.get $exp)
        (select (i32.sub (i32.const 0) (local.get $x)) (local.get $x) (local.get $eneg)))))))

  ;; the digit at pos into $mant (beyond 18 digits only the power of ten changes)
  (func $push_digit (param $fraction i32)
    (if (i64.lt_u (global.get $mant) (i64.const 100000000000000000))
      (then
        (global.set $mant (i64.add (i64.mul (global.get $mant) (i64.const 10))
                                   (i64.extend_i32_u (i32.sub (call $peek) (i32.const 48)))))
        (if (local.get $fraction) (then (global.set $exp (i32.sub (global.get $exp) (i32.const 1))))))
      (else (if (i32.eqz (local.get $fraction))
        (then (global.set $exp (i32.add (global.get $exp) (i32.const 1)))))))
    (global.set $pos (i32.add (global.get $pos) (i32.const 1))))

  (func $pow10 (param $n i32) (result f64)
    (local $r f64)
    (local.set $r (f64.const 1))
    (loop $mul (if (i32.gt_s (local.get $n) (i32.const 0)) (then
      (local.set $r (f64.mul (local.get $r) (f64.const 10)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br $mul))))
    (local.get $r))

  ;; the parsed number as a double
  (func $as_f64 (result f64)
    (local $v f64)
    (local.set $v (f64.convert_i64_u (global.get $mant)))
    (if (i32.lt_s (global.get $exp) (i32.const 0))
      (then (if (i32.lt_s (global.get $exp) (i32.const -300))
        (then (local.set $v (f64.div (f64.div (local.get $v) (call $pow10 (i32.const 300)))
                                     (call $pow10 (i32.sub (i32.const -300) (global.get $exp))))))
        (else (local.set $v (f64.div (local.get $v) (call $pow10 (i32.sub (i32.const 0) (global.get $exp))))))))
      (else (local.set $v (f64.mul (local.get $v) (call $pow10 (global.get $exp))))))
    (select (f64.neg (local.get $v)) (local.get $v) (global.get $neg)))

  ;; stores the number just parsed as input e's type at the end of its data
  (func $store (param $e i32)
    (local $type i32) (local $p i32) (local $i i64) (local $f f32)
    (local.set $type (i32.load offset=8 (local.get $e)))
    (if (i32.le_u (local.get $type) (i32.const 2))
      (then
        (if (i32.eq (local.get $type) (i32.const 1))
          (then
            (local.set $f (f32.demote_f64 (call $as_f64)))
            (if (i32.load (i32.const 0x108))
              (then (local.set $f (f32.div (f32.sub (local.get $f) (f32.load (i32.const 0x10c)))
                                           (f32.load (i32.const 0x110))))))
            (f32.store (call $grow_data (local.get $e) (i32.const 4)) (local.get $f)))
          (else (f64.store (call $grow_data (local.get $e) (i32.const 8)) (call $as_f64))))
        (return)))
    ;; integers: no fraction or exponent left, within range
    (if (i32.or (i32.ne (global.get $exp) (i32.const 0))
                (i64.gt_u (global.get $mant) (i64.const 0x7fffffffffffffff)))
      (then (call $fail (i32.const 0xd00) (i32.load (local.get $e)) (i32.load offset=4 (local.get $e)))))
    (local.set $i (select (i64.sub (i64.const 0) (global.get $mant)) (global.get $mant) (global.get $neg)))
    (if (i32.eq (local.get $type) (i32.const 5))
      (then (i64.store (call $grow_data (local.get $e) (i32.const 8)) (local.get $i)) (return)))
    (if (i32.eq (local.get $type) (i32.const 4))
      (then
        (if (i32.or (i64.gt_s (local.get $i) (i64.const 2147483647))
                    (i64.lt_s (local.get $i) (i64.const -2147483648)))
          (then (call $fail (i32.const 0xd00) (i32.load (local.get $e)) (i32.load offset=4 (local.get $e)))))
        (i32.store (call $grow_data (local.get $e) (i32.const 4)) (i32.wrap_i64 (local.get $i)))
        (return)))
    (if (i64.gt_u (local.get $i) (i64.const 255))
      (then (call $fail (i32.const 0xd00) (i32.load (local.get $e)) (i32.load offset=4 (local.get $e)))))
    (i32.store8 (call $grow_data (local.get $e) (i32.const 1)) (i32.wrap_i64 (local.get $i))))

  ;; n more bytes of input e's data (contiguous: inputs are parsed one at a time)
  (func $grow_data (param $e i32) (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (local.get $p) (local.get $n)))
    (if (i32.gt_u (global.get $heap) (i32.shl (memory.size) (i32.const 16)))
      (then
        (global.set $heap (local.get $p))
        (drop (call $alloc (local.get $n)))
        (global.set $heap (i32.add (local.get $p) (local.get $n)))))
    (i32.store offset=20 (local.get $e) (i32.add (i32.load offset=20 (local.get $e)) (local.get $n)))
    (local.get $p))

  ;; closes the array at depth d of input e: its length must match the others at that depth
  (func $close (param $e i32) (param $d i32)
    (local $slot i32) (local $bit i32)
    (local.set $slot (i32.add (local.get $e) (i32.shl (local.get $d) (i32.const 2))))
    (local.set $bit (i32.shl (i32.const 1) (local.get $d)))
    (if (i32.and (i32.load offset=96 (local.get $e)) (local.get $bit))
      (then (if (i32.ne (i32.load offset=32 (local.get $slot)) (i32.load offset=64 (local.get $slot)))
        (then (call $fail (i32.const 0xcc0) (i32.load (local.get $e)) (i32.load offset=4 (local.get $e))))))
      (else
        (i32.store offset=32 (local.get $slot) (i32.load offset=64 (local.get $slot)))
        (i32.store offset=96 (local.get $e) (i32.or (i32.load offset=96 (local.get $e)) (local.get $bit))))))

  ;; nested arrays of numbers at pos into input e's tensor: dims from the nesting, rank checked
  (func $tensor (param $e i32)
    (local $depth i32) (local $rank i32) (local $c i32)
    (local.set $rank (i32.load offset=12 (local.get $e)))
    (i32.store offset=16 (local.get $e) (global.get $heap))
    (i32.store offset=20 (local.get $e) (i32.const 0))
    (i32.store offset=96 (local.get $e) (i32.const 0))
    (block $done (loop $value
      (call $ws)
      (block $completed
        (if (i32.eq (call $peek) (i32.const 91))
          (then
            (if (i32.ge_u (local.get $depth) (local.get $rank))
              (then (call $fail (i32.const 0xc80) (i32.load (local.get $e)) (i32.load offset=4 (local.get $e)))))
            (i32.store offset=64 (i32.add (local.get $e) (i32.shl (local.get $depth) (i32.const 2))) (i32.const 0))
            (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
            (global.set $pos (i32.add (global.get $pos) (i32.const 1)))
            (call $ws)
            (br_if $value (i32.ne (call $peek) (i32.const 93)))
            ;; an empty array: closed at once, then counted in its parent below
            (global.set $pos (i32.add (global.get $pos) (i32.const 1)))
            (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
            (call $close (local.get $e) (local.get $depth))
            (br $completed)))
        (if (i32.ne (local.get $depth) (local.get $rank))
          (then (call $fail (i32.const 0xc80) (i32.load (local.get $e)) (i32.load offset=4 (local.get $e)))))
        (call $number (local.get $e))
        (call $store (local.get $e)))
      ;; a value is complete at depth: count it, then a comma (next value) or closing brackets
      (loop $after
        (br_if $done (i32.eqz (local.get $depth)))
        (local.set $c (i32.add (local.get $e) (i32.shl (i32.sub (local.get $depth) (i32.const 1)) (i32.const 2))))
        (i32.store offset=64 (local.get $c) (i32.add (i32.load offset=64 (local.get $c)) (i32.const 1)))
        (call $ws)
        (if (i32.eq (call $peek) (i32.const 44))
          (then (global.set $pos (i32.add (global.get $pos) (i32.const 1))) (br $value)))
        (if (i32.ne (call $peek) (i32.const 93))
          (then (call $fail (i32.const 0xc00) (i32.const 0) (i32.const 0))))
        (global.set $pos (i32.add (global.get $pos) (i32.const 1)))
        (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
        (call $close (local.get $e) (local.get $depth))
        (br $after))))
    ;; the tensor record: dims, rank, type, data, length
    (i32.store offset=100 (local.get $e) (i32.add (local.get $e) (i32.const 32)))
    (i32.store offset=104 (local.get $e) (local.get $rank))
    (i32.store offset=108 (local.get $e) (i32.load offset=8 (local.get $e)))
    (i32.store offset=112 (local.get $e) (i32.load offset=16 (local.get $e)))
    (i32.store offset=116 (local.get $e) (i32.load offset=20 (local.get $e)))
    (i32.store offset=24 (local.get $e) (i32.const 1)))

  ;; the top-level object: each known key's value becomes its tensor, others are skipped
  (func $parse
    (local $e i32) (local $i i32)
    (call $expect (i32.const 123))
    (call $ws)
    (if (i32.eq (call $peek) (i32.const 125))
      (then (global.set $pos (i32.add (global.get $pos) (i32.const 1))))
      (else (loop $member
        (local.set $e (call $find_input))
        (call $expect (i32.const 58))
        (if (local.get $e) (then (call $tensor (local.get $e))) (else (call $skip_value)))
        (call $ws)
        (if (i32.eq (call $peek) (i32.const 44))
          (then (global.set $pos (i32.add (global.get $pos) (i32.const 1))) (br $member)))
        (call $expect (i32.const 125)))))
    (block $all (loop $each
      (br_if $all (i32.ge_u (local.get $i) (i32.load (i32.const 0x100))))
      (local.set $e (i32.add (i32.const 0x200) (i32.shl (local.get $i) (i32.const 7))))
      (if (i32.eqz (i32.load offset=24 (local.get $e)))
        (then (call $fail (i32.const 0xc40) (i32.load (local.get $e)) (i32.load offset=4 (local.get $e)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $each))))

  ;; decimal digits of the unsigned v, written at the end of 0x40-0x80; returns the first
  (func $digits (param $v i64) (result i32)
    (local $p i32)
    (local.set $p (i32.const 0x80))
    (loop $d
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $d (i64.ne (local.get $v) (i64.const 0))))
    (local.get $p))

  (func $print_i64 (param $v i64)
    (local $p i32)
    (if (i64.lt_s (local.get $v) (i64.const 0))
      (then (call $out (i32.const 45)) (local.set $v (i64.sub (i64.const 0) (local.get $v)))))
    (local.set $p (call $digits (local.get $v)))
    (call $write (i32.const 1) (local.get $p) (i32.sub (i32.const 0x80) (local.get $p))))

  ;; x with sig significant digits as D.DDDe-N (enough digits to read back the same value)
  (func $print_float (param $x f64) (param $sig i32)
    (local $e i32) (local $m f64) (local $d i64) (local $p i32) (local $last i32) (local $lim i64)
    (if (f64.ne (local.get $x) (local.get $x)) (then (call $text (i32.const 1) (i32.const 0xfe0)) (return)))
    (if (f64.eq (f64.abs (local.get $x)) (f64.const inf))
      (then (call $text (i32.const 1) (i32.const 0xfe0)) (return)))
    (if (i64.lt_s (i64.reinterpret_f64 (local.get $x)) (i64.const 0))
      (then (call $out (i32.const 45)) (local.set $x (f64.neg (local.get $x)))))
    (if (f64.eq (local.get $x) (f64.const 0)) (then (call $out (i32.const 48)) (return)))
    (local.set $m (local.get $x))
    (loop $down (if (f64.ge (local.get $m) (f64.const 10)) (then
      (local.set $m (f64.div (local.get $m) (f64.const 10)))
      (local.set $e (i32.add (local.get $e) (i32.const 1))) (br $down))))
    (loop $up (if (f64.lt (local.get $m) (f64.const 1)) (then
      (local.set $m (f64.mul (local.get $m) (f64.const 10)))
      (local.set $e (i32.sub (local.get $e) (i32.const 1))) (br $up))))
    ;; one scaling by an exact-ish power of ten rather than the loops' accumulated error
    (if (i32.ge_s (local.get $e) (i32.const 0))
      (then (local.set $m (f64.div (local.get $x) (call $pow10 (local.get $e)))))
      (else (if (i32.ge_s (local.get $e) (i32.const -300))
        (then (local.set $m (f64.mul (local.get $x) (call $pow10 (i32.sub (i32.const 0) (local.get $e))))))
        (else (local.set $m (f64.mul (f64.mul (local.get $x) (call $pow10 (i32.const 300)))
                                     (call $pow10 (i32.sub (i32.const -300) (local.get $e)))))))))
    (local.set $d (i64.trunc_f64_u (f64.nearest
      (f64.mul (local.get $m) (call $pow10 (i32.sub (local.get $sig) (i32.const 1)))))))
    (local.set $lim (i64.trunc_f64_u (call $pow10 (local.get $sig))))
    (if (i64.ge_u (local.get $d) (local.get $lim)) (then
      (local.set $d (i64.div_u (local.get $d) (i64.const 10)))
      (local.set $e (i32.add (local.get $e) (i32.const 1)))))
    (if (i64.lt_u (local.get $d) (i64.div_u (local.get $lim) (i64.const 10))) (then
      (local.set $d (i64.mul (local.get $d) (i64.const 10)))
      (local.set $e (i32.sub (local.get $e) (i32.const 1)))))
    (local.set $p (call $digits (local.get $d)))
    ;; drop trailing zeros
    (local.set $last (i32.const 0x80))
    (loop $trim (if (i32.and (i32.gt_u (local.get $last) (i32.add (local.get $p) (i32.const 1)))
                             (i32.eq (i32.load8_u (i32.sub (local.get $last) (i32.const 1))) (i32.const 48)))
      (then (local.set $last (i32.sub (local.get $last) (i32.const 1))) (br $trim))))
    (call $write (i32.const 1) (local.get $p) (i32.const 1))
    (if (i32.gt_u (local.get $last) (i32.add (local.get $p) (i32.const 1))) (then
      (call $out (i32.const 46))
      (call $write (i32.const 1) (i32.add (local.get $p) (i32.const 1))
                   (i32.sub (local.get $last) (i32.add (local.get $p) (i32.const 1))))))
    (if (local.get $e) (then
      (call $out (i32.const 101))
      (call $print_i64 (i64.extend_i32_s (local.get $e))))))

  ;; element i of an output of this type at data
  (func $print_elem (param $type i32) (param $data i32) (param $i i32)
    (if (i32.eq (local.get $type) (i32.const 1)) (then
      (call $print_float (f64.promote_f32 (f32.load (i32.add (local.get $data) (i32.shl (local.get $i) (i32.const 2)))))
                         (i32.const 9)) (return)))
    (if (i32.eq (local.get $type) (i32.const 2)) (then
      (call $print_float (f64.load (i32.add (local.get $data) (i32.shl (local.get $i) (i32.const 3))))
                         (i32.const 17)) (return)))
    (if (i32.eq (local.get $type) (i32.const 3)) (then
      (call $print_i64 (i64.load8_u (i32.add (local.get $data) (local.get $i)))) (return)))
    (if (i32.eq (local.get $type) (i32.const 4)) (then
      (call $print_i64 (i64.load32_s (i32.add (local.get $data) (i32.shl (local.get $i) (i32.const 2))))) (return)))
    (call $print_i64 (i64.load (i32.add (local.get $data) (i32.shl (local.get $i) (i32.const 3))))))

  (func $size (param $type i32) (result i32)
    (i32.load8_u (i32.add (i32.const 0x30) (local.get $type))))

  (func $as_score (param $type i32) (param $data i32) (param $i i32) (result f64)
    (if (i32.eq (local.get $type) (i32.const 1)) (then
      (return (f64.promote_f32 (f32.load (i32.add (local.get $data) (i32.shl (local.get $i) (i32.const 2))))))))
    (f64.load (i32.add (local.get $data) (i32.shl (local.get $i) (i32.const 3)))))

  ;; "top": for each row of the labelled output, its highest score's index, label and score
  (func $top (param $o i32)
    (local $k i32) (local $n i32) (local $row i32) (local $i i32) (local $best i32) (local $type i32)
    (local $data i32) (local $entry i32)
    (local.set $k (i32.load (i32.const 0x118)))
    (local.set $type (i32.load offset=8 (local.get $o)))
    (local.set $data (i32.load offset=12 (local.get $o)))
    (local.set $n (i32.div_u (i32.load offset=16 (local.get $o)) (call $size (local.get $type))))
    (call $out (i32.const 44))
    (call $text (i32.const 1) (i32.const 0xfa4))
    (block $rows (loop $each
      (br_if $rows (i32.gt_u (i32.add (local.get $row) (local.get $k)) (local.get $n)))
      (local.set $best (local.get $row))
      (local.set $i (local.get $row))
      (loop $scan
        (if (f64.gt (call $as_score (local.get $type) (local.get $data) (local.get $i))
                    (call $as_score (local.get $type) (local.get $data) (local.get $best)))
          (then (local.set $best (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $scan (i32.lt_u (local.get $i) (i32.add (local.get $row) (local.get $k)))))
      (if (local.get $row) (then (call $out (i32.const 44))))
      (call $text (i32.const 1) (i32.const 0xfb0))
      (call $print_i64 (i64.extend_i32_u (i32.sub (local.get $best) (local.get $row))))
      (call $text (i32.const 1) (i32.const 0xfc0))
      (local.set $entry (i32.add (i32.load (i32.const 0x11c))
                                 (i32.shl (i32.sub (local.get $best) (local.get $row)) (i32.const 3))))
      (call $write (i32.const 1) (i32.load (local.get $entry)) (i32.load offset=4 (local.get $entry)))
      (call $text (i32.const 1) (i32.const 0xfd0))
      (call $print_elem (local.get $type) (local.get $data) (local.get $best))
      (call $out (i32.const 125))
      (local.set $row (i32.add (local.get $row) (local.get $k)))
      (br $each)))
    (call $out (i32.const 93)))

  (func (export "_start")
    (local $i i32) (local $e i32) (local $cap i32) (local $errno i32) (local $n i32)
    (call $read_stdin)
    (call $parse)
    (call $check (call $load_by_name (i32.load (i32.const 0x120)) (i32.load (i32.const 0x124))
                                     (i32.const 0x10)) (i32.const 0xf00))
    (call $check (call $init (i32.load (i32.const 0x10)) (i32.const 0x14)) (i32.const 0xf20))
    (block $inputs (loop $each
      (br_if $inputs (i32.ge_u (local.get $i) (i32.load (i32.const 0x100))))
      (local.set $e (i32.add (i32.const 0x200) (i32.shl (local.get $i) (i32.const 7))))
      (call $check (call $set_input (i32.load (i32.const 0x14)) (local.get $i)
                                    (i32.add (local.get $e) (i32.const 100))) (i32.const 0xf40))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $each)))
    (call $check (call $compute (i32.load (i32.const 0x14))) (i32.const 0xf60))
    ;; each output into the rest of memory, growing it while the output does not fit
    (local.set $i (i32.const 0))
    (block $outputs (loop $each
      (br_if $outputs (i32.ge_u (local.get $i) (i32.load (i32.const 0x104))))
      (local.set $e (i32.add (i32.const 0xa00) (i32.shl (local.get $i) (i32.const 5))))
      (loop $fit
        (local.set $cap (i32.sub (i32.shl (memory.size) (i32.const 16)) (global.get $heap)))
        (local.set $errno (call $get_output (i32.load (i32.const 0x14)) (local.get $i)
                                            (global.get $heap) (local.get $cap) (i32.const 0x18)))
        ;; too small: grow (double, else by less while the memory limit allows) and try again
        (if (i32.eq (local.get $errno) (i32.const 7)) (then
          (local.set $n (i32.add (memory.size) (i32.const 1)))
          (loop $grow
            (br_if $fit (i32.ge_s (memory.grow (local.get $n)) (i32.const 0)))
            (local.set $n (i32.shr_u (local.get $n) (i32.const 1)))
            (br_if $grow (local.get $n)))))
        (call $check (local.get $errno) (i32.const 0xf80)))
      (i32.store offset=12 (local.get $e) (call $alloc (i32.load (i32.const 0x18))))
      (i32.store offset=16 (local.get $e) (i32.load (i32.const 0x18)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $each)))
    ;; {"NAME":[...],...}
    (call $out (i32.const 123))
    (local.set $i (i32.const 0))
    (block $print (loop $each
      (br_if $print (i32.ge_u (local.get $i) (i32.load (i32.const 0x104))))
      (local.set $e (i32.add (i32.const 0xa00) (i32.shl (local.get $i) (i32.const 5))))
      (if (local.get $i) (then (call $out (i32.const 44))))
      (call $out (i32.const 34))
      (call $write (i32.const 1) (i32.load (local.get $e)) (i32.load offset=4 (local.get $e)))
      (call $out (i32.const 34))
      (call $out (i32.const 58))
      (call $out (i32.const 91))
      (local.set $n (i32.div_u (i32.load offset=16 (local.get $e))
                               (call $size (i32.load offset=8 (local.get $e)))))
      (local.set $cap (i32.const 0))
      (block $elems (loop $elem
        (br_if $elems (i32.ge_u (local.get $cap) (local.get $n)))
        (if (local.get $cap) (then (call $out (i32.const 44))))
        (call $print_elem (i32.load offset=8 (local.get $e)) (i32.load offset=12 (local.get $e)) (local.get $cap))
        (local.set $cap (i32.add (local.get $cap) (i32.const 1)))
        (br $elem)))
      (call $out (i32.const 93))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $each)))
    (if (i32.ge_s (i32.load (i32.const 0x114)) (i32.const 0))
      (then (call $top (i32.add (i32.const 0xa00) (i32.shl (i32.load (i32.const 0x114)) (i32.const 5))))))
    (call $out (i32.const 125))
    (call $out (i32.const 10))))
