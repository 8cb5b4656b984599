// Standard input for Node apps in boxes, made by JsBundle into every box's bundle after the other
// built-ins: process.stdin (an event emitter over the box's whole standard input, which a box
// reads at once: there is no interactive input), readline's interfaces over it (lines as events,
// an async iterator, question) and string_decoder. One function of the other built-ins.
(function (node) {
  "use strict";
  const once = (make) => { let m; return () => (m === undefined ? (m = make()) : m); };

  // ------------------------------------------------------------------------------ process.stdin
  const stdin = once(() => {
    const EventEmitter = node.events();
    const s = new EventEmitter();
    let encoding = null;
    let started = false;
    let done = false;
    const bytes = () => node.buffer().Buffer.from(new TextEncoder().encode(airlock.readStdin()));
    const start = () => {
      if (started) return;
      started = true;
      Promise.resolve().then(() => {
        const b = bytes();
        if (b.length) s.emit("data", encoding ? b.toString(encoding) : b);
        done = true;
        s.emit("end");
        s.emit("close");
      });
    };
    Object.assign(s, {
      fd: 0,
      isTTY: false,
      readable: true,
      setEncoding(e) { encoding = e; return s; },
      resume() { start(); return s; },
      pause() { return s; },
      read() { return null; },
      pipe(dest) {
        s.on("data", (d) => dest.write(d));
        start();
        return dest;
      },
      async *[Symbol.asyncIterator]() {
        if (done) return;
        started = true;
        done = true;
        const b = bytes();
        if (b.length) yield encoding ? b.toString(encoding) : b;
      },
    });
    const add = EventEmitter.prototype.addListener.bind(s);
    s.on = s.addListener = (name, fn) => {
      add(name, fn);
      if (name === "data" || name === "readable" || name === "end") start();
      return s;
    };
    return s;
  });
  Object.defineProperty(globalThis.process, "stdin", {
    get: stdin,
    configurable: true,
    enumerable: true,
  });

  // ---------------------------------------------------------------------------------- readline
  const readline = once(() => {
    const EventEmitter = node.events();
    class Interface extends EventEmitter {
      constructor(opts, output) {
        super();
        const o = opts && opts.input ? opts : { input: opts, output };
        this.input = o.input;
        this.output = o.output;
        this.closed = false;
        this.prompt_ = "> ";
        this.lines = [];
        this.waiting = [];
        let rest = "";
        const push = (line) => {
          if (this.closed) return;
          if (this.waiting.length) this.waiting.shift()(line);
          else this.lines.push(line);
          this.emit("line", line);
        };
        this.input.on("data", (d) => {
          const parts = (rest + (typeof d === "string" ? d : d.toString())).split(/\r?\n/);
          rest = parts.pop();
          for (const p of parts) push(p);
        });
        this.input.on("end", () => {
          if (rest !== "") push(rest);
          rest = "";
          this.close();
        });
      }
      close() {
        if (this.closed) return;
        this.closed = true;
        for (const w of this.waiting.splice(0)) w(undefined);
        this.emit("close");
      }
      setPrompt(p) { this.prompt_ = p; }
      getPrompt() { return this.prompt_; }
      prompt() { if (this.output) this.output.write(this.prompt_); }
      write(d) { if (this.output && d !== undefined && d !== null) this.output.write(String(d)); }
      pause() { return this; }
      resume() { return this; }
      question(query, opts, cb) {
        const done = typeof opts === "function" ? opts : cb;
        if (this.output) this.output.write(query);
        const answer = (line) => done(line === undefined ? "" : line);
        if (this.lines.length) {
          const line = this.lines.shift();
          Promise.resolve().then(() => answer(line));
        } else this.waiting.push(answer);
      }
      async *[Symbol.asyncIterator]() {
        for (;;) {
          if (this.lines.length) { yield this.lines.shift(); continue; }
          if (this.closed) return;
          const line = await new Promise((res) => this.waiting.push(res));
          if (line === undefined) return;
          // the line was handed over directly, not queued
          yield line;
        }
      }
    }
    // lines seen by 'line' listeners are also queued for the iterator and question(); drop
    // them from the queue when nobody consumes it, so a long input does not pile up twice
    const createInterface = (opts, output) => {
      const rl = new Interface(opts, output);
      rl.on("line", () => { if (rl.lines.length > 10000) rl.lines.shift(); });
      return rl;
    };
    const promises = {
      createInterface: (opts, output) => {
        const rl = createInterface(opts, output);
        const q = rl.question.bind(rl);
        rl.question = (query, o) => new Promise((res) => q(query, o, res));
        return rl;
      },
    };
    return { createInterface, Interface, promises };
  });

  // ---------------------------------------------------------------------------- string_decoder
  const stringDecoder = once(() => {
    // bytes at the end of b that start a UTF-8 sequence b does not finish
    const incomplete = (b) => {
      for (let k = 1; k <= Math.min(3, b.length); k++) {
        const x = b[b.length - k];
        if ((x & 0xc0) === 0x80) continue;
        const need = x >= 0xf0 ? 4 : x >= 0xe0 ? 3 : x >= 0xc0 ? 2 : 1;
        return need > k ? k : 0;
      }
      return 0;
    };
    class StringDecoder {
      constructor(encoding) {
        this.encoding = (encoding || "utf8").toLowerCase().replace("-", "");
        this.held = new Uint8Array(0);
      }
      write(b) {
        if (typeof b === "string") return b;
        const { Buffer } = node.buffer();
        if (this.encoding !== "utf8") return Buffer.from(b).toString(this.encoding);
        const all = Buffer.concat([this.held, Buffer.from(b)]);
        const keep = incomplete(all);
        this.held = all.subarray(all.length - keep);
        return all.subarray(0, all.length - keep).toString("utf8");
      }
      end(b) {
        const head = b === undefined ? "" : this.write(b);
        const rest = this.held.length ? node.buffer().Buffer.from(this.held).toString("utf8") : "";
        this.held = new Uint8Array(0);
        return head + rest;
      }
    }
    return { StringDecoder };
  });

  // ------------------------------------------------------------------------------- querystring
  const querystring = once(() => {
    const escape = (s) => encodeURIComponent(s);
    const unescape = (s) => {
      try { return decodeURIComponent(s); } catch (e) { return s; }
    };
    const value = (v) => (typeof v === "string" ? v : typeof v === "number" && isFinite(v) ? String(v) : typeof v === "boolean" || typeof v === "bigint" ? String(v) : "");
    const stringify = (obj, sep, eq) => {
      const S = sep || "&";
      const E = eq || "=";
      if (obj === null || typeof obj !== "object") return "";
      return Object.keys(obj).map((k) => {
        const v = obj[k];
        const key = escape(value(k)) + E;
        return Array.isArray(v) ? v.map((x) => key + escape(value(x))).join(S) : key + escape(value(v));
      }).filter((x) => x !== "").join(S);
    };
    const parse = (str, sep, eq, opts) => {
      const out = Object.create(null);
      if (typeof str !== "string" || str === "") return out;
      const max = opts && opts.maxKeys !== undefined ? opts.maxKeys : 1000;
      let parts = str.split(sep || "&");
      if (max > 0) parts = parts.slice(0, max);
      for (const p of parts) {
        if (p === "") continue;
        const i = p.indexOf(eq || "=");
        const k = unescape((i < 0 ? p : p.slice(0, i)).replace(/\+/g, " "));
        const v = i < 0 ? "" : unescape(p.slice(i + (eq || "=").length).replace(/\+/g, " "));
        if (k in out) out[k] = [].concat(out[k], v);
        else out[k] = v;
      }
      return out;
    };
    return { parse, stringify, escape, unescape, decode: parse, encode: stringify };
  });

  // ----------------------------------------------------------------------------------------- url
  const url = once(() => {
    const qs = querystring();
    // the legacy url.parse: its fields, from the WHATWG URL where the input is absolute
    const parse = (input, parseQuery) => {
      const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/(?:([^@/?#]*)@)?([^/?#:]*|\[[^\]]*\])(?::(\d*))?)?([^?#]*)(\?[^#]*)?(#.*)?$/.exec(input);
      const r = { protocol: null, slashes: null, auth: null, host: null, port: null, hostname: null,
        hash: null, search: null, query: null, pathname: null, path: null, href: input };
      if (!m) return r;
      r.protocol = m[1] ? m[1].toLowerCase() + ":" : null;
      r.slashes = input.includes("//") && m[3] !== undefined ? true : null;
      r.auth = m[2] === undefined ? null : decodeURIComponent(m[2]);
      r.hostname = m[3] === undefined ? null : m[3].toLowerCase();
      r.port = m[4] === undefined || m[4] === "" ? null : m[4];
      r.host = r.hostname === null ? null : r.hostname + (r.port ? ":" + r.port : "");
      r.pathname = m[5] === "" ? (r.slashes ? "/" : null) : m[5];
      r.search = m[6] === undefined ? null : m[6];
      r.query = parseQuery ? qs.parse(m[6] ? m[6].slice(1) : "") : m[6] ? m[6].slice(1) : null;
      r.hash = m[7] === undefined ? null : m[7];
      r.path = r.pathname === null && r.search === null ? null : (r.pathname || "") + (r.search || "");
      if (r.slashes && r.pathname === "/" && !input.endsWith("/") && m[5] === "") r.href = input + "/";
      return r;
    };
    const format = (u) => {
      if (u instanceof URL) return u.href;
      if (typeof u === "string") return u;
      const proto = u.protocol ? (u.protocol.endsWith(":") ? u.protocol : u.protocol + ":") : "";
      const host = u.host || (u.hostname ? u.hostname + (u.port ? ":" + u.port : "") : "");
      const auth = u.auth ? encodeURIComponent(u.auth).replace(/%3A/i, ":") + "@" : "";
      const search = u.search || (u.query && typeof u.query === "object" ? "?" + qs.stringify(u.query) : "");
      const slashes = u.slashes || ["http:", "https:", "ftp:", "file:", "ws:", "wss:"].includes(proto) ? "//" : "";
      return proto + (host || proto === "file:" ? slashes : "") + auth + host + (u.pathname || "") + search + (u.hash || "");
    };
    const resolve = (from, to) => {
      if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(from)) return new URL(to, from).href;
      const base = "http://resolve.invalid";
      const r = new URL(to, base + (from.startsWith("/") ? "" : "/") + from).href;
      if (!r.startsWith(base)) return r;
      const path = r.slice(base.length);
      return from.startsWith("/") ? path : path.slice(1);
    };
    // file URLs by hand: the interpreter's URL takes file:///x for a host x
    const fileURLToPath = (u) => {
      const href = typeof u === "string" ? u : u.href;
      const m = /^file:\/\/([^/]*)(\/[^?#]*)/i.exec(href);
      if (!m || (m[1] !== "" && m[1].toLowerCase() !== "localhost")) {
        const e = new TypeError(m ? "File URL host must be \"localhost\" or empty on linux" : "The URL must be of scheme file");
        e.code = m ? "ERR_INVALID_FILE_URL_HOST" : "ERR_INVALID_URL_SCHEME";
        throw e;
      }
      return decodeURIComponent(m[2]);
    };
    const pathToFileURL = (p) => {
      const abs = p.startsWith("/") ? p : node.path().resolve(p);
      const pathname = abs.split("/").map((x) => encodeURIComponent(x)).join("/");
      const href = "file://" + pathname;
      return { href, protocol: "file:", host: "", hostname: "", pathname, search: "", hash: "", toString: () => href, toJSON: () => href };
    };
    return { parse, format, resolve, URL, URLSearchParams, fileURLToPath, pathToFileURL };
  });

  node.querystring = querystring;
  node.url = url;
  node.readline = readline;
  node["readline/promises"] = () => readline().promises;
  node.string_decoder = stringDecoder;
  return node;
});
