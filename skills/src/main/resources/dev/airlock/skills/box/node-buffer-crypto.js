// Node's buffer and crypto modules for boxes, made by JsBundle into every box's bundle after
// node-builtins.js: Buffer (a Uint8Array with Node's encodings and helpers) and crypto's hashes
// (md5, sha1, sha256, sha512), HMACs and randomness (from the interpreter's crypto, which the
// policy's randomness grant governs). One function of the other built-ins; it adds these two.
(function (node) {
  "use strict";
  const once = (make) => { let m; return () => (m === undefined ? (m = make()) : m); };
  const typeError = (msg) => { const e = new TypeError(msg); e.code = "ERR_INVALID_ARG_TYPE"; return e; };

  // ------------------------------------------------------------------------------------ buffer
  const buffer = once(() => {
    const norm = (e) => {
      const n = (e === undefined || e === null ? "utf8" : String(e)).toLowerCase().replace("-", "");
      if (n === "binary") return "latin1";
      if (n === "ucs2" || n === "utf16le") return "utf16le";
      if (["utf8", "hex", "base64", "base64url", "latin1", "ascii"].includes(n)) return n;
      const x = new TypeError("Unknown encoding: " + e);
      x.code = "ERR_UNKNOWN_ENCODING";
      throw x;
    };
    const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const encode = (s, e) => {
      switch (norm(e)) {
        case "utf8": return new TextEncoder().encode(s);
        case "hex": {
          const n = s.length >> 1;
          const out = [];
          for (let i = 0; i < n; i++) {
            const b = parseInt(s.substr(2 * i, 2), 16);
            if (Number.isNaN(b)) break;
            out.push(b);
          }
          return Uint8Array.from(out);
        }
        case "base64":
        case "base64url": {
          const out = [];
          let acc = 0;
          let bits = 0;
          for (const ch of s) {
            const c = ch === "-" ? "+" : ch === "_" ? "/" : ch;
            const v = B64.indexOf(c);
            if (v < 0) continue;
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
              bits -= 8;
              out.push((acc >> bits) & 0xff);
            }
          }
          return Uint8Array.from(out);
        }
        case "utf16le": {
          const out = new Uint8Array(s.length * 2);
          for (let i = 0; i < s.length; i++) {
            out[2 * i] = s.charCodeAt(i) & 0xff;
            out[2 * i + 1] = s.charCodeAt(i) >> 8;
          }
          return out;
        }
        default: {
          const out = new Uint8Array(s.length);
          for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
          return out;
        }
      }
    };
    const decode = (b, e) => {
      switch (norm(e)) {
        case "utf8": return new TextDecoder().decode(b);
        case "hex": {
          let s = "";
          for (const x of b) s += (x < 16 ? "0" : "") + x.toString(16);
          return s;
        }
        case "base64":
        case "base64url": {
          const url = norm(e) === "base64url";
          let s = "";
          let i = 0;
          for (; i + 2 < b.length; i += 3) {
            const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
            s += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
          }
          if (i < b.length) {
            const n = (b[i] << 16) | ((i + 1 < b.length ? b[i + 1] : 0) << 8);
            s += B64[n >> 18] + B64[(n >> 12) & 63];
            s += i + 1 < b.length ? B64[(n >> 6) & 63] : url ? "" : "=";
            s += url ? "" : "=";
          }
          return url ? s.replace(/\+/g, "-").replace(/\//g, "_") : s;
        }
        case "utf16le": {
          let s = "";
          for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode(b[i] | (b[i + 1] << 8));
          return s;
        }
        case "ascii": {
          let s = "";
          for (const x of b) s += String.fromCharCode(x & 0x7f);
          return s;
        }
        default: {
          let s = "";
          for (const x of b) s += String.fromCharCode(x);
          return s;
        }
      }
    };
    class Buffer extends Uint8Array {
      static from(v, e, length) {
        if (typeof v === "string") return wrap(encode(v, e));
        if (v instanceof ArrayBuffer) return new Buffer(v, e || 0, length === undefined ? v.byteLength - (e || 0) : length);
        if (ArrayBuffer.isView(v) || Array.isArray(v)) return wrap(Uint8Array.from(v, (x) => x & 0xff));
        if (v && v.type === "Buffer" && Array.isArray(v.data)) return wrap(Uint8Array.from(v.data));
        throw typeError("The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object.");
      }
      static alloc(n, fill, e) {
        const b = new Buffer(n);
        if (fill !== undefined && fill !== 0) b.fill(fill, 0, n, e);
        return b;
      }
      static allocUnsafe(n) { return new Buffer(n); }
      static byteLength(s, e) {
        return typeof s === "string" ? encode(s, e).length : s.byteLength;
      }
      static isBuffer(b) { return b instanceof Buffer; }
      static isEncoding(e) { try { norm(e); return true; } catch (x) { return false; } }
      static concat(list, total) {
        const n = total === undefined ? list.reduce((a, b) => a + b.length, 0) : total;
        const out = Buffer.alloc(n);
        let at = 0;
        for (const b of list) {
          if (at >= n) break;
          const part = b.length <= n - at ? b : b.subarray(0, n - at);
          out.set(part, at);
          at += part.length;
        }
        return out;
      }
      static compare(a, b) { return a.compare(b); }
      toString(e, start, end) {
        return decode(this.subarray(start || 0, end === undefined ? this.length : end), e);
      }
      toJSON() { return { type: "Buffer", data: Array.from(this) }; }
      equals(o) { return this.compare(o) === 0; }
      compare(o) {
        const n = Math.min(this.length, o.length);
        for (let i = 0; i < n; i++) if (this[i] !== o[i]) return this[i] < o[i] ? -1 : 1;
        return this.length === o.length ? 0 : this.length < o.length ? -1 : 1;
      }
      slice(s, e) { return this.subarray(s, e); }
      subarray(s, e) {
        const u = Uint8Array.prototype.subarray.call(this, s, e);
        return new Buffer(u.buffer, u.byteOffset, u.length);
      }
      write(s, offset, length, e) {
        if (typeof offset === "string") { e = offset; offset = 0; length = undefined; }
        const bytes = encode(s, e);
        const at = offset || 0;
        const n = Math.min(bytes.length, length === undefined ? this.length - at : length, this.length - at);
        this.set(bytes.subarray(0, n), at);
        return n;
      }
      fill(v, start, end, e) {
        const s = start || 0;
        const t = end === undefined ? this.length : end;
        if (typeof v === "string") {
          const bytes = encode(v, e);
          for (let i = s; i < t && bytes.length; i++) this[i] = bytes[(i - s) % bytes.length];
          return this;
        }
        return Uint8Array.prototype.fill.call(this, v, s, t);
      }
      copy(target, ts, ss, se) {
        const part = this.subarray(ss || 0, se === undefined ? this.length : se);
        const n = Math.min(part.length, target.length - (ts || 0));
        target.set(part.subarray(0, n), ts || 0);
        return n;
      }
      indexOf(v, from, e) {
        const needle = typeof v === "number" ? Uint8Array.of(v) : typeof v === "string" ? encode(v, e) : v;
        outer: for (let i = from || 0; i <= this.length - needle.length; i++) {
          for (let j = 0; j < needle.length; j++) if (this[i + j] !== needle[j]) continue outer;
          return i;
        }
        return -1;
      }
      includes(v, from, e) { return this.indexOf(v, from, e) >= 0; }
      readUInt8(o) { return this[o || 0]; }
      writeUInt8(v, o) { this[o || 0] = v; return (o || 0) + 1; }
    }
    // the other fixed-size reads and writes, through a DataView (RangeError past the end, as in Node)
    const view = (b) => new DataView(b.buffer, b.byteOffset, b.length);
    const sizes = { Int8: 1, Int16: 2, Int32: 4, UInt16: 2, UInt32: 4, Float: 4, Double: 8, BigInt64: 8, BigUInt64: 8 };
    const views = { Int8: "Int8", Int16: "Int16", Int32: "Int32", UInt16: "Uint16", UInt32: "Uint32", Float: "Float32", Double: "Float64", BigInt64: "BigInt64", BigUInt64: "BigUint64" };
    for (const [name, size] of Object.entries(sizes)) {
      for (const end of size === 1 ? [""] : ["BE", "LE"]) {
        const little = end === "LE";
        const get = "get" + views[name];
        const set = "set" + views[name];
        const read = "read" + name + end;
        const write = "write" + name + end;
        if (!(read in Buffer.prototype)) {
          Buffer.prototype[read] = function (o) { return view(this)[get](o || 0, little); };
        }
        if (!(write in Buffer.prototype)) {
          Buffer.prototype[write] = function (v, o) { o = o || 0; view(this)[set](o, v, little); return o + size; };
        }
        for (const m of [read, write]) { // Node's lower-case aliases (readUint32LE, ...)
          const alias = m.replace("UInt", "Uint");
          if (alias !== m && !(alias in Buffer.prototype)) Buffer.prototype[alias] = Buffer.prototype[m];
        }
      }
    }
    for (const m of ["readUInt8", "writeUInt8"]) Buffer.prototype[m.replace("UInt", "Uint")] = Buffer.prototype[m];
    const wrap = (u8) => {
      const b = new Buffer(u8.length);
      b.set(u8);
      return b;
    };
    return { Buffer, constants: { MAX_LENGTH: 2 ** 31 - 1 }, kMaxLength: 2 ** 31 - 1 };
  });

  // ------------------------------------------------------------------------------------ crypto
  const crypto = once(() => {
    const { Buffer } = buffer();
    const bytesOf = (d, e) => (typeof d === "string" ? Buffer.from(d, e) : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : (() => { throw typeError("The \"data\" argument must be of type string or an instance of Buffer, TypedArray, or DataView."); })());
    const rotl = (x, n) => (x << n) | (x >>> (32 - n));
    const rotr = (x, n) => (x >>> n) | (x << (32 - n));
    // the integer root of a BigInt: Newton's method from above
    const iroot = (v, k) => {
      let x = 1n << BigInt(Math.ceil(v.toString(2).length / k) + 1);
      for (;;) {
        const y = ((BigInt(k) - 1n) * x + v / x ** BigInt(k - 1)) / BigInt(k);
        if (y >= x) return x;
        x = y;
      }
    };
    const primes = (n) => {
      const out = [];
      for (let c = 2; out.length < n; c++) if (out.every((p) => c % p)) out.push(c);
      return out;
    };
    // the first bits of the fractional parts of the primes' square and cube roots (FIPS 180-4)
    const frac = (count, root, bits) => primes(count).map((p) => iroot(BigInt(p) << BigInt(root * bits), root) & ((1n << BigInt(bits)) - 1n));
    const K256 = once(() => frac(64, 3, 32).map(Number));
    const H256 = once(() => frac(8, 2, 32).map(Number));
    const K512 = once(() => frac(80, 3, 64));
    const H512 = once(() => frac(8, 2, 64));
    const MD5K = once(() => Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0));
    const MD5S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

    // the message padded to whole blocks, its bit length at the end (big- or little-endian)
    const pad = (m, block, lenBytes, little) => {
      const n = Math.ceil((m.length + 1 + lenBytes) / block) * block;
      const p = new Uint8Array(n);
      p.set(m);
      p[m.length] = 0x80;
      let bits = BigInt(m.length) * 8n;
      for (let i = 0; i < 8; i++) {
        p[little ? n - lenBytes + i : n - 1 - i] = Number(bits & 0xffn);
        bits >>= 8n;
      }
      return p;
    };
    const word = (p, i, little) => little
      ? p[i] | (p[i + 1] << 8) | (p[i + 2] << 16) | (p[i + 3] << 24)
      : (p[i] << 24) | (p[i + 1] << 16) | (p[i + 2] << 8) | p[i + 3];
    const out32 = (h, little) => {
      const b = Buffer.alloc(h.length * 4);
      h.forEach((v, i) => {
        for (let j = 0; j < 4; j++) b[4 * i + j] = (v >>> (little ? 8 * j : 24 - 8 * j)) & 0xff;
      });
      return b;
    };
    const sha256 = (m) => {
      const p = pad(m, 64, 8, false);
      const k = K256();
      const h = H256().slice();
      const w = new Int32Array(64);
      for (let off = 0; off < p.length; off += 64) {
        for (let i = 0; i < 16; i++) w[i] = word(p, off + 4 * i, false);
        for (let i = 16; i < 64; i++) {
          const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
          const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
          w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
        }
        let [a, b, c, d, e, f, g, hh] = h;
        for (let i = 0; i < 64; i++) {
          const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i]) | 0;
          const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
          hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
        }
        [a, b, c, d, e, f, g, hh].forEach((v, i) => { h[i] = (h[i] + v) | 0; });
      }
      return out32(h, false);
    };
    const sha1 = (m) => {
      const p = pad(m, 64, 8, false);
      const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
      const w = new Int32Array(80);
      for (let off = 0; off < p.length; off += 64) {
        for (let i = 0; i < 16; i++) w[i] = word(p, off + 4 * i, false);
        for (let i = 16; i < 80; i++) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        let [a, b, c, d, e] = h;
        for (let i = 0; i < 80; i++) {
          const f = i < 20 ? (b & c) | (~b & d) : i < 40 || i >= 60 ? b ^ c ^ d : (b & c) | (b & d) | (c & d);
          const k = i < 20 ? 0x5a827999 : i < 40 ? 0x6ed9eba1 : i < 60 ? 0x8f1bbcdc : 0xca62c1d6;
          const t = (rotl(a, 5) + f + e + k + w[i]) | 0;
          e = d; d = c; c = rotl(b, 30); b = a; a = t;
        }
        [a, b, c, d, e].forEach((v, i) => { h[i] = (h[i] + v) | 0; });
      }
      return out32(h, false);
    };
    const md5 = (m) => {
      const p = pad(m, 64, 8, true);
      const k = MD5K();
      const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
      for (let off = 0; off < p.length; off += 64) {
        const x = Array.from({ length: 16 }, (_, i) => word(p, off + 4 * i, true));
        let [a, b, c, d] = h;
        for (let i = 0; i < 64; i++) {
          let f;
          let g;
          if (i < 16) { f = (b & c) | (~b & d); g = i; }
          else if (i < 32) { f = (d & b) | (~d & c); g = (5 * i + 1) % 16; }
          else if (i < 48) { f = b ^ c ^ d; g = (3 * i + 5) % 16; }
          else { f = c ^ (b | ~d); g = (7 * i) % 16; }
          const t = d;
          d = c;
          c = b;
          b = (b + rotl((a + f + k[i] + x[g]) | 0, MD5S[(i >> 4) * 4 + (i % 4)])) | 0;
          a = t;
        }
        [a, b, c, d].forEach((v, i) => { h[i] = (h[i] + v) | 0; });
      }
      return out32(h, true);
    };
    const sha512 = (m) => {
      const M = (1n << 64n) - 1n;
      const r = (x, n) => ((x >> BigInt(n)) | (x << BigInt(64 - n))) & M;
      const p = pad(m, 128, 16, false);
      const k = K512();
      const h = H512().slice();
      const w = new Array(80);
      for (let off = 0; off < p.length; off += 128) {
        for (let i = 0; i < 16; i++) {
          let v = 0n;
          for (let j = 0; j < 8; j++) v = (v << 8n) | BigInt(p[off + 8 * i + j]);
          w[i] = v;
        }
        for (let i = 16; i < 80; i++) {
          const s0 = r(w[i - 15], 1) ^ r(w[i - 15], 8) ^ (w[i - 15] >> 7n);
          const s1 = r(w[i - 2], 19) ^ r(w[i - 2], 61) ^ (w[i - 2] >> 6n);
          w[i] = (w[i - 16] + s0 + w[i - 7] + s1) & M;
        }
        let [a, b, c, d, e, f, g, hh] = h;
        for (let i = 0; i < 80; i++) {
          const t1 = (hh + (r(e, 14) ^ r(e, 18) ^ r(e, 41)) + ((e & f) ^ (~e & M & g)) + k[i] + w[i]) & M;
          const t2 = ((r(a, 28) ^ r(a, 34) ^ r(a, 39)) + ((a & b) ^ (a & c) ^ (b & c))) & M;
          hh = g; g = f; f = e; e = (d + t1) & M; d = c; c = b; b = a; a = (t1 + t2) & M;
        }
        [a, b, c, d, e, f, g, hh].forEach((v, i) => { h[i] = (h[i] + v) & M; });
      }
      const out = Buffer.alloc(64);
      h.forEach((v, i) => { for (let j = 0; j < 8; j++) out[8 * i + j] = Number((v >> BigInt(56 - 8 * j)) & 0xffn); });
      return out;
    };
    const ALGORITHMS = { md5: [md5, 64], sha1: [sha1, 64], sha256: [sha256, 64], sha512: [sha512, 128] };
    const algorithm = (name) => {
      const a = ALGORITHMS[String(name).toLowerCase().replace("-", "")];
      if (!a) { const e = new Error("Digest method not supported"); e.code = "ERR_CRYPTO_INVALID_DIGEST"; throw e; }
      return a;
    };
    const output = (b, e) => (e === undefined ? b : b.toString(e));
    class Hash {
      constructor(fn) { this.fn = fn; this.parts = []; this.done = false; }
      update(d, e) {
        if (this.done) { const x = new Error("Digest already called"); x.code = "ERR_CRYPTO_HASH_FINALIZED"; throw x; }
        this.parts.push(Buffer.from(bytesOf(d, e)));
        return this;
      }
      digest(e) { this.done = true; return output(this.fn(Buffer.concat(this.parts)), e); }
      copy() { const h = new Hash(this.fn); h.parts = this.parts.slice(); return h; }
    }
    class Hmac extends Hash {
      constructor(fn, size, key) {
        super(fn);
        let k = Buffer.from(bytesOf(key));
        if (k.length > size) k = fn(k);
        this.key = Buffer.concat([k, Buffer.alloc(size - k.length)]);
        this.size = size;
      }
      digest(e) {
        this.done = true;
        const x = (pad) => Buffer.from(this.key.map((b) => b ^ pad));
        const inner = this.fn(Buffer.concat([x(0x36), ...this.parts]));
        return output(this.fn(Buffer.concat([x(0x5c), inner])), e);
      }
    }
    const web = globalThis.crypto;
    return {
      createHash: (name) => new Hash(algorithm(name)[0]),
      createHmac: (name, key) => { const [fn, size] = algorithm(name); return new Hmac(fn, size, key); },
      getHashes: () => Object.keys(ALGORITHMS),
      randomBytes(n, cb) {
        const b = Buffer.alloc(n);
        for (let i = 0; i < n; i += 65536) web.getRandomValues(b.subarray(i, Math.min(n, i + 65536)));
        if (typeof cb === "function") { Promise.resolve().then(() => cb(null, b)); return undefined; }
        return b;
      },
      randomUUID: () => web.randomUUID(),
      randomInt(min, max) {
        if (max === undefined) { max = min; min = 0; }
        const range = max - min;
        const b = new Uint32Array(1);
        const limit = 2 ** 32 - (2 ** 32 % range);
        do web.getRandomValues(b); while (b[0] >= limit);
        return min + (b[0] % range);
      },
      getRandomValues: (a) => web.getRandomValues(a),
      timingSafeEqual(a, b) {
        if (a.length !== b.length) { const e = new RangeError("Input buffers must have the same byte length"); e.code = "ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH"; throw e; }
        let d = 0;
        for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
        return d === 0;
      },
      webcrypto: web,
    };
  });

  // fs as node-builtins.js makes it, but bytes come back as Buffers, as in Node
  const plainFs = node.fs;
  const fs = once(() => {
    const F = plainFs();
    const toBuffer = (r) => (typeof r === "string" || r === undefined ? r : buffer().Buffer.from(r));
    const read = F.readFileSync;
    const readLater = F.readFile;
    const readPromise = F.promises.readFile;
    F.readFileSync = (...a) => toBuffer(read(...a));
    F.readFile = (...a) => {
      const cb = typeof a[a.length - 1] === "function" ? a.pop() : null;
      return readLater(...a, (e, r) => cb && cb(e, e ? r : toBuffer(r)));
    };
    F.promises.readFile = (...a) => readPromise(...a).then(toBuffer);
    return F;
  });

  node.fs = fs;
  node["fs/promises"] = () => fs().promises;
  node.buffer = buffer;
  node.crypto = crypto;
  return node;
});
