// Node's zlib module for apps in boxes, made by JsBundle into the bundle of every box whose files
// name zlib, after the other built-ins. Written from the RFCs: DEFLATE (RFC 1951: inflate of
// stored, fixed and dynamic Huffman blocks; deflate by LZ77 over hash chains, greedy for levels 1
// to 3 and lazy above, each block sent stored, fixed or dynamic, whichever is smallest), the zlib
// wrapper (RFC 1950, adler32, preset dictionaries) and gzip (RFC 1952, crc32, header fields,
// several members). The sync, callback and stream forms (streams gather their input and answer at
// its end), crc32, constants and codes. Corrupt input fails as zlib fails, with zlib's message and
// code (a truncated stream is "unexpected end of file", Z_BUF_ERROR); every loop reads input or
// ends, so hostile input cannot hang it. No brotli. Written for a slow interpreter: the hot loops
// keep their state in locals, and above level 5 the hash chains are shorter than zlib's. One
// function of the other built-ins.
(function (node) {
  "use strict";
  const once = (make) => { let m; return () => (m === undefined ? (m = make()) : m); };

  const zlib = once(() => {
    const { Buffer } = node.buffer();
    const { Transform } = node.stream();
    const later = (f) => (typeof setTimeout === "function" ? setTimeout(f, 0) : Promise.resolve().then(f));

    // ---------------------------------------------------------------------- constants, errors
    const constants = {
      Z_NO_FLUSH: 0, Z_PARTIAL_FLUSH: 1, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_BLOCK: 5,
      Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3,
      Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6,
      Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1,
      Z_FILTERED: 1, Z_HUFFMAN_ONLY: 2, Z_RLE: 3, Z_FIXED: 4, Z_DEFAULT_STRATEGY: 0, ZLIB_VERNUM: 4880,
      DEFLATE: 1, INFLATE: 2, GZIP: 3, GUNZIP: 4, DEFLATERAW: 5, INFLATERAW: 6, UNZIP: 7,
      Z_MIN_WINDOWBITS: 8, Z_MAX_WINDOWBITS: 15, Z_DEFAULT_WINDOWBITS: 15,
      Z_MIN_CHUNK: 64, Z_MAX_CHUNK: Infinity, Z_DEFAULT_CHUNK: 16384,
      Z_MIN_MEMLEVEL: 1, Z_MAX_MEMLEVEL: 9, Z_DEFAULT_MEMLEVEL: 8,
      Z_MIN_LEVEL: -1, Z_MAX_LEVEL: 9, Z_DEFAULT_LEVEL: -1,
    };
    const codes = {};
    for (const k of ["Z_OK", "Z_STREAM_END", "Z_NEED_DICT", "Z_ERRNO", "Z_STREAM_ERROR", "Z_DATA_ERROR",
      "Z_MEM_ERROR", "Z_BUF_ERROR", "Z_VERSION_ERROR"]) {
      codes[k] = constants[k];
      codes[constants[k]] = k;
    }
    Object.freeze(codes);

    const zerror = (message, errno) => {
      const e = new Error(message);
      e.errno = errno;
      e.code = codes[errno];
      return e;
    };
    const bad = (message) => zerror(message, -3);
    class Truncated extends Error { }
    const TRUNCATED = new Truncated("unexpected end of file");
    const argType = (name, what, v) => {
      const got = v === null || v === undefined ? String(v) : typeof v === "object" || typeof v === "function"
        ? "an instance of " + ((v.constructor && v.constructor.name) || "Object") : "type " + typeof v + " (" + String(v) + ")";
      const e = new TypeError("The \"" + name + "\" argument must be " + what + ". Received " + got);
      e.code = "ERR_INVALID_ARG_TYPE";
      return e;
    };
    // a Buffer with these bytes (Buffer.from of a Uint8Array goes byte by byte)
    const asBuffer = (u8) => {
      const b = Buffer.alloc(u8.length);
      b.set(u8);
      return b;
    };
    const bytesOf = (v, name) => {
      if (typeof v === "string") return Buffer.from(v, "utf8");
      if (v instanceof ArrayBuffer) return new Uint8Array(v);
      if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      throw argType(name || "buffer", "of type string or an instance of Buffer, TypedArray, DataView, or ArrayBuffer", v);
    };

    // --------------------------------------------------------------------------- checksums
    // CRC-32 four bytes at a time ("slicing by 4"): table k (at 256 * k) is the CRC of a byte
    // followed by k zero bytes; whole words are read at once where the machine is little-endian
    const CRC = new Int32Array(1024);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC[n] = c;
    }
    for (let n = 0; n < 768; n++) CRC[n + 256] = (CRC[n] >>> 8) ^ CRC[CRC[n] & 0xff];
    const LITTLE = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
    const crc32 = (b, from, to, crc) => {
      const T = CRC;
      let c = ~crc;
      let i = from;
      while (i < to && (b.byteOffset + i) & 3) c = T[(c ^ b[i++]) & 0xff] ^ (c >>> 8);
      if (LITTLE && to - i >= 4) {
        const words = new Int32Array(b.buffer, b.byteOffset + i, (to - i) >> 2);
        for (let k = 0; k < words.length; k++) {
          c ^= words[k];
          c = T[768 + (c & 0xff)] ^ T[512 + ((c >>> 8) & 0xff)] ^ T[256 + ((c >>> 16) & 0xff)] ^ T[c >>> 24];
        }
        i += words.length << 2;
      }
      while (i < to) c = T[(c ^ b[i++]) & 0xff] ^ (c >>> 8);
      return ~c >>> 0;
    };
    const adler32 = (b, from, to) => {
      let s1 = 1;
      let s2 = 0;
      for (let i = from; i < to;) {
        const end = Math.min(to, i + 5552); // no overflow before the modulo
        for (; i < end; i++) { s1 += b[i]; s2 += s1; }
        s1 %= 65521;
        s2 %= 65521;
      }
      return ((s2 << 16) | s1) >>> 0;
    };

    // ------------------------------------------------------------------------ DEFLATE tables
    const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
    const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
      2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
    const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
    const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
    const FIXED_LIT = new Uint8Array(288).map((_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8));
    const FIXED_DIST = new Uint8Array(32).fill(5);
    // code reversed in its len bits, by a table of reversed bytes
    const REV = new Uint8Array(256);
    for (let i = 0; i < 256; i++) for (let k = 0; k < 8; k++) REV[i] |= ((i >> k) & 1) << (7 - k);
    const reverse = (code, len) => ((REV[code & 0xff] << 8) | REV[code >> 8]) >> (16 - len);
    // the canonical codes of a set of code lengths (RFC 1951 3.2.2), bit-reversed as they are sent
    const canonical = (lens) => {
      const count = new Int32Array(16);
      for (let i = 0; i < lens.length; i++) count[lens[i]]++;
      count[0] = 0;
      const next = new Int32Array(16);
      for (let l = 1, code = 0; l < 16; l++) { code = (code + count[l - 1]) << 1; next[l] = code; }
      const codes = new Int32Array(lens.length);
      for (let i = 0; i < lens.length; i++) if (lens[i]) codes[i] = reverse(next[lens[i]]++, lens[i]);
      return codes;
    };

    // ------------------------------------------------------------------------------- inflate
    const INVALID = 1023; // the symbol of a bit string that is no code
    const ROOT = 10; // bits the decoding tables look up at once
    // A decoding table for code lengths, indexed by the next ROOT bits of input (or fewer):
    // symbol << 4 | length, or 0 where the code is longer (then decodeLong reads it bit by bit).
    // As zlib: a set of lengths that is over-subscribed, or incomplete other than as a single code
    // of one bit, is refused (null); the code-length code must be complete, or have no codes at
    // all (then every symbol reads as length 0 from one bit).
    function huffman(lens, forLengths) {
      const count = new Int32Array(16);
      for (let i = 0; i < lens.length; i++) count[lens[i]]++;
      let max = 15;
      while (max > 0 && count[max] === 0) max--;
      if (max === 0) return { table: new Int32Array(2).fill(((forLengths ? 0 : INVALID) << 4) | 1), mask: 1, bits: 1 };
      let left = 1;
      for (let l = 1; l < 16; l++) {
        left = (left << 1) - count[l];
        if (left < 0) return null;
      }
      if (left > 0 && (forLengths || max !== 1)) return null;
      const bits = Math.min(max, ROOT);
      const table = new Int32Array(1 << bits).fill(max > ROOT ? 0 : (INVALID << 4) | 1);
      const codes = canonical(lens);
      // the symbols in canonical order, for codes longer than the table
      const offs = new Int32Array(16);
      for (let l = 1; l < 15; l++) offs[l + 1] = offs[l] + count[l];
      const symbol = new Int32Array(lens.length);
      for (let s = 0; s < lens.length; s++) {
        const l = lens[s];
        if (l) symbol[offs[l]++] = s;
        if (l && l <= bits) for (let i = codes[s]; i < table.length; i += 1 << l) table[i] = (s << 4) | l;
      }
      count[0] = 0;
      return { table, mask: (1 << bits) - 1, bits: max, count, symbol }; // bits: the longest code
    }
    // a code longer than the table's bits from the next cnt bits of hold (RFC 1951's canonical
    // order: the codes of each length are consecutive numbers): symbol << 4 | length, or -1 when
    // hold runs out first
    function decodeLong(h, hold, cnt) {
      let code = 0;
      let first = 0;
      let index = 0;
      for (let len = 1; len < 16 && len <= cnt; len++) {
        code |= (hold >>> (len - 1)) & 1;
        const c = h.count[len];
        if (code - first < c) return (h.symbol[index + code - first] << 4) | len;
        index += c;
        first = (first + c) << 1;
        code <<= 1;
      }
      return -1;
    }
    const fixedTables = once(() => ({ lit: huffman(FIXED_LIT, false), dist: huffman(FIXED_DIST, false) }));

    // input read bit by bit from the least significant end of each byte
    class Bits {
      constructor(src, pos) { this.src = src; this.pos = pos; this.buf = 0; this.cnt = 0; }
      get(n) {
        while (this.cnt < n) {
          if (this.pos >= this.src.length) throw TRUNCATED;
          this.buf |= this.src[this.pos++] << this.cnt;
          this.cnt += 8;
        }
        const v = this.buf & ((1 << n) - 1);
        this.buf >>>= n;
        this.cnt -= n;
        return v;
      }
      decode(h) {
        while (this.cnt < h.bits && this.pos < this.src.length) {
          this.buf |= this.src[this.pos++] << this.cnt;
          this.cnt += 8;
        }
        let e = h.table[this.buf & h.mask];
        if ((e & 15) === 0) e = decodeLong(h, this.buf, this.cnt);
        const l = e & 15;
        if (e < 0 || l > this.cnt) throw TRUNCATED;
        this.buf >>>= l;
        this.cnt -= l;
        return e >> 4;
      }
      // to the next byte boundary, giving back whole bytes already read
      align() {
        this.pos -= this.cnt >> 3;
        this.buf = 0;
        this.cnt = 0;
      }
      byte() {
        if (this.pos >= this.src.length) throw TRUNCATED;
        return this.src[this.pos++];
      }
      word(n, bigEndian) {
        let v = 0;
        for (let i = 0; i < n; i++) v = bigEndian ? v * 256 + this.byte() : v + this.byte() * 2 ** (8 * i);
        return v;
      }
    }

    // output that grows, up to a limit (maxOutputLength)
    class Out {
      constructor(max, prefix) {
        this.max = max;
        this.buf = new Uint8Array(Math.max(1024, prefix ? prefix.length * 2 : 0));
        this.n = 0;
        this.base = 0;
        if (prefix) { this.buf.set(prefix); this.n = this.base = prefix.length; }
      }
      room(k) {
        if (this.n + k - this.base > this.max) {
          const e = new RangeError("Cannot create a Buffer larger than " + this.max + " bytes");
          e.code = "ERR_BUFFER_TOO_LARGE";
          throw e;
        }
        if (this.n + k > this.buf.length) {
          let c = this.buf.length * 2;
          while (c < this.n + k) c *= 2;
          const b = new Uint8Array(c);
          b.set(this.buf.subarray(0, this.n));
          this.buf = b;
        }
      }
      result() { return asBuffer(this.buf.subarray(this.base, this.n)); }
    }

    // the blocks of one raw DEFLATE stream, appended to out; window: where the stream's output began
    function inflateBlocks(bits, out, window) {
      let last = 0;
      do {
        last = bits.get(1);
        const type = bits.get(2);
        if (type === 0) {
          bits.align();
          const len = bits.word(2);
          const nlen = bits.word(2);
          if (len !== (~nlen & 0xffff)) throw bad("invalid stored block lengths");
          const have = Math.min(len, bits.src.length - bits.pos);
          out.room(have);
          out.buf.set(bits.src.subarray(bits.pos, bits.pos + have), out.n);
          out.n += have;
          bits.pos += have;
          if (have < len) throw TRUNCATED;
        } else if (type === 1) {
          const { lit, dist } = fixedTables();
          inflateCodes(bits, out, window, lit, dist);
        } else if (type === 2) {
          const { lit, dist } = dynamicTables(bits);
          inflateCodes(bits, out, window, lit, dist);
        } else throw bad("invalid block type");
      } while (!last);
    }

    // The Huffman-coded symbols of one block up to its end code. The hot loop of inflate: the bit
    // reader's and the output's state are kept in locals (the interpreter is slow), and given back
    // when the block ends or fails.
    function inflateCodes(bits, out, window, lit, dist) {
      const src = bits.src;
      const end = src.length;
      let pos = bits.pos;
      let hold = bits.buf;
      let cnt = bits.cnt;
      let ob = out.buf;
      let n = out.n;
      let cap = Math.min(ob.length, out.base + out.max);
      const lt = lit.table;
      const lm = lit.mask;
      const dt = dist.table;
      const dm = dist.mask;
      try {
        for (;;) {
          // at least 15 bits, when the input has them: two bytes at a time
          if (cnt < 15) {
            if (pos + 1 < end) {
              hold |= (src[pos] << cnt) | (src[pos + 1] << (cnt + 8));
              pos += 2;
              cnt += 16;
            } else while (cnt < 15 && pos < end) { hold |= src[pos++] << cnt; cnt += 8; }
          }
          let e = lt[hold & lm];
          if ((e & 15) === 0) e = decodeLong(lit, hold, cnt);
          let l = e & 15;
          if (e < 0 || l > cnt) throw TRUNCATED;
          hold >>>= l;
          cnt -= l;
          const sym = e >> 4;
          if (sym < 256) {
            if (n >= cap) { out.n = n; out.room(1); ob = out.buf; cap = Math.min(ob.length, out.base + out.max); }
            ob[n++] = sym;
            continue;
          }
          if (sym === 256) break;
          if (sym > 285) throw bad("invalid literal/length code");
          let x = LEN_EXTRA[sym - 257];
          if (cnt < 15) {
            if (pos + 1 < end) {
              hold |= (src[pos] << cnt) | (src[pos + 1] << (cnt + 8));
              pos += 2;
              cnt += 16;
            } else while (cnt < 15 && pos < end) { hold |= src[pos++] << cnt; cnt += 8; }
          }
          if (x > cnt) throw TRUNCATED;
          const len = LEN_BASE[sym - 257] + (hold & ((1 << x) - 1));
          hold >>>= x;
          cnt -= x;
          if (cnt < 15) {
            if (pos + 1 < end) {
              hold |= (src[pos] << cnt) | (src[pos + 1] << (cnt + 8));
              pos += 2;
              cnt += 16;
            } else while (cnt < 15 && pos < end) { hold |= src[pos++] << cnt; cnt += 8; }
          }
          e = dt[hold & dm];
          if ((e & 15) === 0) e = decodeLong(dist, hold, cnt);
          l = e & 15;
          if (e < 0 || l > cnt) throw TRUNCATED;
          hold >>>= l;
          cnt -= l;
          const dsym = e >> 4;
          if (dsym > 29) throw bad("invalid distance code");
          x = DIST_EXTRA[dsym];
          if (cnt < 13) {
            if (pos + 1 < end) {
              hold |= (src[pos] << cnt) | (src[pos + 1] << (cnt + 8));
              pos += 2;
              cnt += 16;
            } else while (cnt < 13 && pos < end) { hold |= src[pos++] << cnt; cnt += 8; }
          }
          if (x > cnt) throw TRUNCATED;
          const d = DIST_BASE[dsym] + (hold & ((1 << x) - 1));
          hold >>>= x;
          cnt -= x;
          if (d > n - window) throw bad("invalid distance too far back");
          if (n + len > cap) { out.n = n; out.room(len); ob = out.buf; cap = Math.min(ob.length, out.base + out.max); }
          if (len <= 8 || d === 1) {
            if (d === 1) ob.fill(ob[n - 1], n, n + len);
            else for (let i = n, to = n + len; i < to; i++) ob[i] = ob[i - d];
            n += len;
          } else {
            // the copy repeats with period d: copy what is there, doubling
            const from = n - d;
            for (let left = len; left > 0;) {
              const c = Math.min(left, n - from);
              ob.copyWithin(n, from, from + c);
              n += c;
              left -= c;
            }
          }
        }
      } finally {
        bits.pos = pos;
        bits.buf = hold;
        bits.cnt = cnt;
        out.n = n;
      }
    }

    function dynamicTables(bits) {
      const nlen = bits.get(5) + 257;
      const ndist = bits.get(5) + 1;
      const ncode = bits.get(4) + 4;
      if (nlen > 286 || ndist > 30) throw bad("too many length or distance symbols");
      const clens = new Uint8Array(19);
      for (let i = 0; i < ncode; i++) clens[CL_ORDER[i]] = bits.get(3);
      const cl = huffman(clens, true);
      if (!cl) throw bad("invalid code lengths set");
      const lens = new Uint8Array(nlen + ndist);
      for (let have = 0; have < lens.length;) {
        const sym = bits.decode(cl);
        if (sym < 16) { lens[have++] = sym; continue; }
        let len = 0;
        let copy;
        if (sym === 16) {
          if (have === 0) { bits.get(2); throw bad("invalid bit length repeat"); }
          len = lens[have - 1];
          copy = 3 + bits.get(2);
        } else copy = sym === 17 ? 3 + bits.get(3) : 11 + bits.get(7);
        if (have + copy > lens.length) throw bad("invalid bit length repeat");
        lens.fill(len, have, have + copy);
        have += copy;
      }
      if (lens[256] === 0) throw bad("invalid code -- missing end-of-block");
      const lit = huffman(lens.subarray(0, nlen), false);
      if (!lit) throw bad("invalid literal/lengths set");
      const dist = huffman(lens.subarray(nlen), false);
      if (!dist) throw bad("invalid distances set");
      return { lit, dist };
    }

    // one zlib (RFC 1950) or gzip (RFC 1952) member, or a raw stream; which: "raw", "zlib", "gzip"
    // or "auto" (gzip by its magic bytes, zlib otherwise)
    function inflateMember(bits, out, which, o) {
      if (which === "raw") {
        inflateBlocks(bits, out, 0);
        return;
      }
      const b0 = bits.byte();
      const b1 = bits.byte();
      const start = out.n;
      if (which !== "zlib" && b0 === 0x1f && b1 === 0x8b) {
        const head = bits.pos - 2;
        const cm = bits.byte();
        const flags = bits.byte();
        if (cm !== 8) throw bad("unknown compression method");
        if (flags & 0xe0) throw bad("unknown header flags set");
        bits.word(4);
        bits.word(2);
        if (flags & 4) {
          const xlen = bits.word(2);
          for (let i = 0; i < xlen; i++) bits.byte();
        }
        if (flags & 8) while (bits.byte() !== 0);
        if (flags & 16) while (bits.byte() !== 0);
        if (flags & 2) {
          const crc = crc32(bits.src, head, bits.pos, 0) & 0xffff;
          if (bits.word(2) !== crc) throw bad("header crc mismatch");
        }
        inflateBlocks(bits, out, start);
        bits.align();
        if (bits.word(4) !== crc32(out.buf, start, out.n, 0)) throw bad("incorrect data check");
        if (bits.word(4) !== (out.n - start) % 2 ** 32) throw bad("incorrect length check");
        return;
      }
      if (which === "gzip" || ((b0 << 8) | b1) % 31) throw bad("incorrect header check");
      if ((b0 & 15) !== 8) throw bad("unknown compression method");
      if ((b0 >> 4) + 8 > Math.min(15, o.windowBits || 15)) throw bad("invalid window size");
      // a raw stream has the dictionary in its window from the start, a zlib stream when it asks
      let window = start;
      if (b1 & 0x20) {
        const id = bits.word(4, true);
        if (!o.dictionary) throw zerror("Missing dictionary", 2);
        if (id !== adler32(o.dictionary, 0, o.dictionary.length)) throw zerror("Bad dictionary", 2);
        window -= o.dictionary.length; // out begins with the dictionary
      }
      inflateBlocks(bits, out, window);
      bits.align();
      if (bits.word(4, true) !== adler32(out.buf, start, out.n)) throw bad("incorrect data check");
    }

    function inflate(data, which, o) {
      const dict = o.dictionary && which !== "gzip" ? bytesOf(o.dictionary, "options.dictionary") : null;
      o = Object.assign({}, o, { dictionary: dict });
      const out = new Out(o.maxOutputLength || 2 ** 31 - 1, dict);
      const bits = new Bits(data, 0);
      try {
        inflateMember(bits, out, which, o);
        // gzip: more members follow, unless what follows begins with a zero byte (padding)
        const gz = which === "gzip" || (which === "auto" && data[0] === 0x1f && data[1] === 0x8b);
        while (gz && bits.pos < data.length && data[bits.pos] !== 0) {
          bits.buf = 0;
          bits.cnt = 0;
          inflateMember(bits, out, which, o);
        }
      } catch (e) {
        if (e !== TRUNCATED) throw e;
        // without Z_FINISH a truncated stream gives what it has
        if (o.finishFlush !== undefined && o.finishFlush !== constants.Z_FINISH) return out.result();
        throw zerror("unexpected end of file", -5);
      }
      return out.result();
    }

    // ------------------------------------------------------------------------------- deflate
    // bits written from the least significant end of each byte
    class BitWriter {
      constructor(size) { this.buf = new Uint8Array(Math.max(64, size)); this.n = 0; this.bb = 0; this.bc = 0; }
      room(k) {
        if (this.n + k <= this.buf.length) return;
        let c = this.buf.length * 2;
        while (c < this.n + k) c *= 2;
        const b = new Uint8Array(c);
        b.set(this.buf.subarray(0, this.n));
        this.buf = b;
      }
      put(v, n) {
        this.bb |= v << this.bc;
        this.bc += n;
        if (this.bc >= 8) {
          this.room(3);
          while (this.bc >= 8) { this.buf[this.n++] = this.bb & 0xff; this.bb >>>= 8; this.bc -= 8; }
        }
      }
      align() { if (this.bc > 0) this.put(0, 8 - this.bc); }
      bytes(src, from, to) {
        this.room(to - from);
        this.buf.set(src.subarray(from, to), this.n);
        this.n += to - from;
      }
      word(v, n, bigEndian) {
        for (let i = 0; i < n; i++) this.put(bigEndian ? (v >>> (8 * (n - 1 - i))) & 0xff : Math.floor(v / 2 ** (8 * i)) & 0xff, 8);
      }
    }

    // length 3..258 less 3, and distance less 1, to their codes
    const LEN_CODE = new Uint8Array(256);
    for (let v = 0; v < 256; v++) {
      const b = 31 - Math.clz32(v);
      LEN_CODE[v] = v === 255 ? 28 : v < 8 ? v : 4 * (b - 1) + ((v >> (b - 2)) & 3);
    }
    // distance d to its code: DIST_CODE[d - 1] up to 256, else DIST_CODE[256 + ((d - 1) >> 7)]
    const DIST_CODE = new Uint8Array(512);
    for (let c = 0; c < 30; c++) {
      for (let d = DIST_BASE[c]; d < DIST_BASE[c] + (1 << DIST_EXTRA[c]); d++) {
        if (d <= 256) DIST_CODE[d - 1] = c;
        else DIST_CODE[256 + ((d - 1) >> 7)] = c;
      }
    }

    // Huffman code lengths for these frequencies, none longer than limit: a Huffman tree (two
    // queues over the weights in order), its weights flattened until it is shallow enough
    function codeLengths(freq, limit) {
      const lens = new Uint8Array(freq.length);
      let m = 0;
      for (let i = 0; i < freq.length; i++) if (freq[i] > 0) m++;
      const syms = new Int32Array(m);
      const w = new Float64Array(m);
      for (let i = 0, k = 0; i < freq.length; i++) if (freq[i] > 0) { syms[k] = i; w[k++] = freq[i]; }
      if (m === 1) lens[syms[0]] = 1;
      if (m < 2) return lens;
      const weight = new Float64Array(2 * m - 1);
      const parent = new Int32Array(2 * m - 1);
      const depth = new Int32Array(2 * m - 1);
      const order = new Float64Array(m);
      for (;;) {
        // sorted by weight, then symbol: a numeric sort of weight * 512 + index
        for (let k = 0; k < m; k++) order[k] = w[k] * 512 + k;
        order.sort();
        for (let i = 0; i < m; i++) weight[i] = w[order[i] % 512];
        let leaf = 0;
        let inner = m;
        for (let next = m; next < 2 * m - 1; next++) {
          const a = leaf < m && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
          const b = leaf < m && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
          weight[next] = weight[a] + weight[b];
          parent[a] = parent[b] = next;
        }
        let max = 0;
        depth[2 * m - 2] = 0;
        for (let i = 2 * m - 3; i >= 0; i--) {
          depth[i] = depth[parent[i]] + 1;
          if (i < m && depth[i] > max) max = depth[i];
        }
        if (max <= limit) {
          for (let i = 0; i < m; i++) lens[syms[order[i] % 512]] = depth[i];
          return lens;
        }
        for (let k = 0; k < m; k++) w[k] = (w[k] >> 1) | 1;
      }
    }

    // the code-length sequence of a dynamic block's lengths: symbols 0..18 with their extra bits
    function runLengths(lens) {
      const out = [];
      for (let i = 0; i < lens.length;) {
        const l = lens[i];
        let run = 1;
        while (i + run < lens.length && lens[i + run] === l) run++;
        i += run;
        if (l === 0) {
          for (; run >= 11; run -= Math.min(run, 138)) out.push(18, Math.min(run, 138) - 11);
          if (run >= 3) { out.push(17, run - 3); run = 0; }
        } else {
          out.push(l, 0);
          run--;
          for (; run >= 3; run -= Math.min(run, 6)) out.push(16, Math.min(run, 6) - 3);
        }
        for (; run > 0; run--) out.push(l, 0);
      }
      return out;
    }
    const CL_EXTRA = [2, 3, 7];

    // A block of LZ77 symbols: lits[i] a literal, or a length when dists[i] is not 0, with the
    // frequencies of their codes and the number of extra bits they need.
    class Symbols {
      constructor() {
        this.lits = new Uint16Array(BLOCK);
        this.dists = new Uint16Array(BLOCK);
        this.lf = new Int32Array(286);
        this.df = new Int32Array(30);
        this.count = 0;
        this.extra = 0;
      }
      reset() {
        this.lf.fill(0);
        this.df.fill(0);
        this.count = 0;
        this.extra = 0;
      }
    }
    const BLOCK = 16384; // symbols a block holds

    // as zlib: at least two codes of a kind, so that each code is complete
    const atLeastTwo = (f) => {
      let used = 0;
      for (let i = 0; i < f.length; i++) if (f[i] > 0) used++;
      for (let i = 0; used < 2; i++) if (!f[i]) { f[i] = 1; used++; }
    };

    // the block's symbols, covering data[from, to): stored, fixed or dynamic, whichever is smallest
    function writeBlock(w, sy, data, from, to, last) {
      const lf = sy.lf;
      const df = sy.df;
      const count = sy.count;
      lf[256] = 1;
      atLeastTwo(lf);
      atLeastTwo(df);
      const ll = codeLengths(lf, 15);
      const dl = codeLengths(df, 15);
      let nlen = 286;
      while (nlen > 257 && ll[nlen - 1] === 0) nlen--;
      let ndist = 30;
      while (ndist > 1 && dl[ndist - 1] === 0) ndist--;
      const all = new Uint8Array(nlen + ndist);
      all.set(ll.subarray(0, nlen));
      all.set(dl.subarray(0, ndist), nlen);
      const runs = runLengths(all);
      const cf = new Int32Array(19);
      for (let i = 0; i < runs.length; i += 2) cf[runs[i]]++;
      atLeastTwo(cf);
      const cl = codeLengths(cf, 7);
      let ncode = 19;
      while (ncode > 4 && cl[CL_ORDER[ncode - 1]] === 0) ncode--;

      let dynamic = 3 + 14 + 3 * ncode + sy.extra;
      let fixed = 3 + sy.extra;
      for (let i = 0; i < 286; i++) { dynamic += lf[i] * ll[i]; fixed += lf[i] * FIXED_LIT[i]; }
      for (let i = 0; i < 30; i++) { dynamic += df[i] * dl[i]; fixed += df[i] * 5; }
      for (let i = 0; i < runs.length; i += 2) dynamic += cl[runs[i]] + (runs[i] > 15 ? CL_EXTRA[runs[i] - 16] : 0);
      const stored = (to - from) * 8 + 42 * Math.max(1, Math.ceil((to - from) / 65535));
      if (stored <= fixed && stored <= dynamic) { writeStored(w, data, from, to, last); return; }
      w.put(last ? 1 : 0, 1);
      let lens;
      let codes;
      let dlens;
      let dcodes;
      if (fixed <= dynamic) {
        w.put(1, 2);
        ({ lens, codes, dlens, dcodes } = fixedCodes());
      } else {
        w.put(2, 2);
        w.put(nlen - 257, 5);
        w.put(ndist - 1, 5);
        w.put(ncode - 4, 4);
        for (let i = 0; i < ncode; i++) w.put(cl[CL_ORDER[i]], 3);
        const cc = canonical(cl);
        for (let i = 0; i < runs.length; i += 2) {
          w.put(cc[runs[i]], cl[runs[i]]);
          if (runs[i] > 15) w.put(runs[i + 1], CL_EXTRA[runs[i] - 16]);
        }
        lens = ll;
        codes = canonical(ll);
        dlens = dl;
        dcodes = canonical(dl);
      }
      // the symbols, with the writer's state in locals: at most 6 bytes each
      w.room(6 * count + 8);
      const lits = sy.lits;
      const dists = sy.dists;
      const ob = w.buf;
      let on = w.n;
      let bb = w.bb;
      let bc = w.bc;
      for (let i = 0; i < count; i++) {
        const d = dists[i];
        let v = lits[i];
        if (d === 0) {
          bb |= codes[v] << bc;
          bc += lens[v];
        } else {
          const c = LEN_CODE[v - 3];
          bb |= codes[257 + c] << bc;
          bc += lens[257 + c];
          if (bc >= 16) { ob[on++] = bb & 0xff; ob[on++] = (bb >>> 8) & 0xff; bb >>>= 16; bc -= 16; }
          let x = LEN_EXTRA[c];
          if (x) { bb |= (v - LEN_BASE[c]) << bc; bc += x; }
          if (bc >= 16) { ob[on++] = bb & 0xff; ob[on++] = (bb >>> 8) & 0xff; bb >>>= 16; bc -= 16; }
          v = d <= 256 ? DIST_CODE[d - 1] : DIST_CODE[256 + ((d - 1) >> 7)];
          bb |= dcodes[v] << bc;
          bc += dlens[v];
          if (bc >= 16) { ob[on++] = bb & 0xff; ob[on++] = (bb >>> 8) & 0xff; bb >>>= 16; bc -= 16; }
          x = DIST_EXTRA[v];
          if (x) { bb |= (d - DIST_BASE[v]) << bc; bc += x; }
        }
        if (bc >= 16) { ob[on++] = bb & 0xff; ob[on++] = (bb >>> 8) & 0xff; bb >>>= 16; bc -= 16; }
      }
      while (bc >= 8) { ob[on++] = bb & 0xff; bb >>>= 8; bc -= 8; }
      w.n = on;
      w.bb = bb;
      w.bc = bc;
      w.put(codes[256], lens[256]);
    }
    const fixedCodes = once(() => ({ lens: FIXED_LIT, codes: canonical(FIXED_LIT), dlens: FIXED_DIST, dcodes: canonical(FIXED_DIST) }));

    function writeStored(w, data, from, to, last) {
      do {
        const end = Math.min(to, from + 65535);
        w.put(last && end === to ? 1 : 0, 1);
        w.put(0, 2);
        w.align();
        w.word(end - from, 2);
        w.word(~(end - from) & 0xffff, 2);
        w.bytes(data, from, end);
        from = end;
      } while (from < to);
    }

    // per level, as zlib's (with shorter chains above level 5, for the slow interpreter): a match
    // this long searches a quarter of the chain, a match this long is not bettered (greedy levels:
    // the longest match whose positions are all hashed), stop at this length, chain length
    const CONFIG = [null, [4, 4, 8, 4], [4, 5, 16, 8], [4, 6, 32, 32], [4, 4, 16, 16], [8, 16, 32, 32],
      [8, 16, 128, 64], [8, 32, 128, 128], [32, 128, 258, 256], [32, 258, 258, 512]];

    // Raw DEFLATE of data[start..] (data[0, start) is a preset dictionary) at level 0..9: LZ77
    // over hash chains of 3 bytes (head: the last position of a hash, prev: the one before a
    // position), greedy up to level 3 and lazy above (a match is taken only when the next
    // position's is not longer), as zlib does. Hot code, written out for the slow interpreter.
    function deflateBlocks(w, data, start, level, wbits) {
      const n = data.length;
      if (level === 0) { writeStored(w, data, start, n, true); return; }
      const [good, lazy, nice, chain] = CONFIG[level];
      const maxDist = (1 << wbits) - 1;
      const head = new Int32Array(1 << 15).fill(-1);
      const prev = new Int32Array(1 << 15);
      for (let p = Math.max(0, start - maxDist); p + 2 < start; p++) {
        const h = ((data[p] << 10) ^ (data[p + 1] << 5) ^ data[p + 2]) & 0x7fff;
        prev[p & 0x7fff] = head[h];
        head[h] = p;
      }
      // the longest match at p better than best, along the chain from cand: length << 16 | distance
      // (the chain only goes back, and at most chain steps)
      const longest = (p, cand, best) => {
        const max = Math.min(258, n - p);
        const limit = Math.max(p - maxDist, 0);
        const first = data[p];
        let tries = best >= good ? chain >> 2 : chain;
        let last = data[p + best];
        let found = 0;
        while (cand >= limit && tries-- > 0) {
          if (data[cand + best] === last && data[cand] === first) {
            let a = cand + 1;
            let b = p + 1;
            const e = p + max;
            while (b < e && data[a] === data[b]) { a++; b++; }
            if (b - p > best) {
              best = b - p;
              found = (best << 16) | (p - cand);
              if (best >= nice || best >= max) break;
              last = data[p + best];
            }
          }
          cand = prev[cand & 0x7fff];
        }
        // a short match far back costs more than its literals
        return found >>> 16 === 3 && (found & 0xffff) > 4096 ? 0 : found;
      };
      const sy = new Symbols();
      const { lits, dists, lf, df } = sy;
      let count = 0;
      let from = start; // where the block's data begins
      let done = start; // the data its symbols cover
      const flush = (last) => {
        sy.count = count;
        writeBlock(w, sy, data, from, done, last);
        sy.reset();
        count = 0;
        from = done;
      };
      const match = (len, dist) => {
        lits[count] = len;
        dists[count++] = dist;
        const c = LEN_CODE[len - 3];
        lf[257 + c]++;
        const dc = dist <= 256 ? DIST_CODE[dist - 1] : DIST_CODE[256 + ((dist - 1) >> 7)];
        df[dc]++;
        sy.extra += LEN_EXTRA[c] + DIST_EXTRA[dc];
        done += len;
        if (count === BLOCK) flush(false);
      };
      let p = start;
      if (level <= 3) {
        while (p < n) {
          let m = 0;
          if (p + 2 < n) {
            const h = ((data[p] << 10) ^ (data[p + 1] << 5) ^ data[p + 2]) & 0x7fff;
            const c = head[h];
            prev[p & 0x7fff] = c;
            head[h] = p;
            if (c >= 0 && p - c <= maxDist) m = longest(p, c, 2);
          }
          if (m === 0) {
            const b = data[p++];
            lits[count] = b;
            dists[count++] = 0;
            lf[b]++;
            done++;
            if (count === BLOCK) flush(false);
            continue;
          }
          const len = m >>> 16;
          match(len, m & 0xffff);
          if (len <= lazy) {
            for (let q = p + 1, end = Math.min(p + len, n - 2); q < end; q++) {
              const h = ((data[q] << 10) ^ (data[q + 1] << 5) ^ data[q + 2]) & 0x7fff;
              prev[q & 0x7fff] = head[h];
              head[h] = q;
            }
          }
          p += len;
        }
      } else {
        let prevMatch = 0; // the match at p - 1, while its literal is pending
        let pending = false;
        while (p < n) {
          let m = 0;
          const pl = prevMatch >>> 16;
          if (p + 2 < n) {
            const h = ((data[p] << 10) ^ (data[p + 1] << 5) ^ data[p + 2]) & 0x7fff;
            const c = head[h];
            prev[p & 0x7fff] = c;
            head[h] = p;
            if (pl < lazy && c >= 0 && p - c <= maxDist) m = longest(p, c, pl > 2 ? pl : 2);
          }
          if (pl >= 3 && m >>> 16 <= pl) {
            match(pl, prevMatch & 0xffff);
            const end = p - 1 + pl;
            for (let q = p + 1, e = Math.min(end, n - 2); q < e; q++) {
              const h = ((data[q] << 10) ^ (data[q + 1] << 5) ^ data[q + 2]) & 0x7fff;
              prev[q & 0x7fff] = head[h];
              head[h] = q;
            }
            p = end;
            prevMatch = 0;
            pending = false;
            continue;
          }
          if (pending) {
            const b = data[p - 1];
            lits[count] = b;
            dists[count++] = 0;
            lf[b]++;
            done++;
            if (count === BLOCK) flush(false);
          }
          pending = true;
          prevMatch = m;
          p++;
        }
        if (pending) {
          const b = data[p - 1];
          lits[count] = b;
          dists[count++] = 0;
          lf[b]++;
          done++;
        }
      }
      flush(true);
    }

    // -------------------------------------------------------------------------- the formats
    const outOfRange = (name, lo, hi, v) => {
      const e = new RangeError("The value of \"" + name + "\" is out of range. It must be >= " + lo + " and <= " + hi + ". Received " + v);
      e.code = "ERR_OUT_OF_RANGE";
      return e;
    };
    const option = (o, name, lo, hi, dflt) => {
      const v = o[name];
      if (v === undefined || v === null) return dflt;
      if (typeof v !== "number" || Number.isNaN(v)) throw argType("options." + name, "of type number", v);
      if (v < lo || v > hi) throw outOfRange("options." + name, lo, hi, v);
      return v;
    };
    // the options node checks, in any mode (windowBits 0: the zlib header's, when inflating)
    const validate = (o, inflating) => {
      option(o, "level", -1, 9, -1);
      option(o, "memLevel", 1, 9, 8);
      option(o, "strategy", 0, 4, 0);
      option(o, "chunkSize", 64, Infinity, 16384);
      if (!(inflating && o.windowBits === 0)) option(o, "windowBits", 8, 15, 15);
      return o;
    };
    function deflate(data, which, o) {
      let level = option(o, "level", -1, 9, -1);
      if (level === -1) level = 6;
      const wbits = Math.max(9, option(o, "windowBits", 8, 15, 15));
      const dict = o.dictionary !== undefined && which !== "gzip" ? bytesOf(o.dictionary, "options.dictionary") : null;
      let input = data;
      if (dict) {
        input = new Uint8Array(dict.length + data.length);
        input.set(dict);
        input.set(data, dict.length);
      }
      const start = dict ? dict.length : 0;
      const w = new BitWriter((data.length >> 1) + 64);
      if (which === "zlib") {
        const cmf = ((wbits - 8) << 4) | 8;
        let flg = (level < 2 ? 0 : level < 6 ? 1 : level === 6 ? 2 : 3) << 6;
        if (dict) flg |= 0x20;
        flg += 31 - ((cmf << 8) + flg) % 31;
        w.word(cmf, 1);
        w.word(flg, 1);
        if (dict) w.word(adler32(dict, 0, dict.length), 4, true);
      } else if (which === "gzip") {
        w.bytes(Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, level === 9 ? 2 : level < 2 ? 4 : 0, 3), 0, 10);
      }
      deflateBlocks(w, input, start, level, wbits);
      w.align();
      if (which === "zlib") w.word(adler32(data, 0, data.length), 4, true);
      if (which === "gzip") {
        w.word(crc32(data, 0, data.length, 0), 4);
        w.word(data.length % 2 ** 32, 4);
      }
      return asBuffer(w.buf.subarray(0, w.n));
    }

    const MODES = {
      Deflate: (d, o) => deflate(d, "zlib", o),
      Inflate: (d, o) => inflate(d, "zlib", o),
      Gzip: (d, o) => deflate(d, "gzip", o),
      Gunzip: (d, o) => inflate(d, "gzip", o),
      DeflateRaw: (d, o) => deflate(d, "raw", o),
      InflateRaw: (d, o) => inflate(d, "raw", o),
      Unzip: (d, o) => inflate(d, "auto", o),
    };

    // ---------------------------------------------------------------------------------- API
    const api = { constants: Object.freeze(Object.assign({}, constants)), codes };
    api.crc32 = (data, value) => {
      if (typeof data !== "string" && !ArrayBuffer.isView(data)) {
        throw argType("data", "of type string or an instance of Buffer, TypedArray, or DataView", data);
      }
      const b = bytesOf(data, "data");
      if (value !== undefined && typeof value !== "number") throw argType("value", "of type number", value);
      return crc32(b, 0, b.length, (value || 0) >>> 0);
    };
    // a stream class callable without new, as Node's are
    const callable = (C) => new Proxy(C, { apply: (t, self, args) => new C(...args) });

    class Zlib extends Transform {
      constructor(mode, o) {
        super();
        this._mode = mode;
        this._opts = Object.assign({}, o || {});
        validate(this._opts, /^(Inflate|InflateRaw|Gunzip|Unzip)$/.test(mode));
        this._chunkSize = this._opts.chunkSize || constants.Z_DEFAULT_CHUNK;
        this._chunks = [];
        this.bytesWritten = 0;
      }
      _transform(chunk, encoding, cb) {
        this._chunks.push(chunk);
        this.bytesWritten += chunk.length;
        cb();
      }
      _flush(cb) {
        let out;
        try {
          out = MODES[this._mode](Buffer.concat(this._chunks), this._opts);
        } catch (e) {
          return cb(e);
        }
        this._chunks = [];
        for (let i = 0; i < out.length; i += this._chunkSize) this.push(out.subarray(i, i + this._chunkSize));
        cb();
      }
      flush(kind, cb) {
        if (typeof kind === "function") cb = kind;
        if (typeof cb === "function") later(cb);
      }
      params(level, strategy, cb) {
        this._opts.level = level;
        this._opts.strategy = strategy;
        if (typeof cb === "function") later(cb);
      }
      reset() { this._chunks = []; }
      close(cb) {
        if (typeof cb === "function") this.once("close", cb);
        this.destroy();
      }
    }

    for (const mode of Object.keys(MODES)) {
      const lower = mode[0].toLowerCase() + mode.slice(1);
      const run = MODES[mode];
      const inflating = /^(Inflate|InflateRaw|Gunzip|Unzip)$/.test(mode);
      const C = callable(class extends Zlib {
        constructor(o) { super(mode, o); }
      });
      Object.defineProperty(C, "name", { value: mode });
      api[mode] = C;
      api["create" + mode] = (o) => new C(o);
      api[lower + "Sync"] = (buffer, o) => run(bytesOf(buffer), validate(o || {}, inflating));
      api[lower] = (buffer, o, cb) => {
        if (typeof o === "function") { cb = o; o = {}; }
        if (typeof cb !== "function") throw argType("callback", "of type function", cb);
        const data = bytesOf(buffer);
        validate(o || {}, inflating);
        later(() => {
          let out;
          try {
            out = run(data, o || {});
          } catch (e) {
            cb(e);
            return;
          }
          cb(null, out);
        });
      };
    }
    for (const k of Object.keys(constants)) {
      if (k.startsWith("Z_")) Object.defineProperty(api, k, { value: constants[k], enumerable: false });
    }
    return api;
  });

  node.zlib = zlib;
  return node;
});
