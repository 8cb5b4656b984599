// Node's built-in modules that a box can give in Airlock's JavaScript interpreter, made by
// JsBundle into every box's bundle: path, events, util, os, assert, process, timers, tty,
// perf_hooks, console (fs is node-fs.js). One function of the box's files; what it returns are the
// modules' factories.
(function (box) {
  "use strict";
  const once = (make) => { let m; return () => (m === undefined ? (m = make()) : m); };

  // AbortController and AbortSignal, globals in Node, where the interpreter lacks them
  if (typeof globalThis.AbortController !== "function") {
    class AbortSignal {
      constructor() { this.aborted = false; this.reason = undefined; this.onabort = null; this._listeners = []; }
      addEventListener(type, f, o) { if (type === "abort") this._listeners.push({ f, once: !!(o && o.once) }); }
      removeEventListener(type, f) { if (type === "abort") this._listeners = this._listeners.filter((x) => x.f !== f); }
      throwIfAborted() { if (this.aborted) throw this.reason; }
      static abort(reason) { const c = new AbortController(); c.abort(reason); return c.signal; }
      static timeout(ms) {
        const c = new AbortController();
        setTimeout(() => {
          const e = new Error("The operation was aborted due to timeout");
          e.name = "TimeoutError";
          c.abort(e);
        }, ms);
        return c.signal;
      }
    }
    class AbortController {
      constructor() { this.signal = new AbortSignal(); }
      abort(reason) {
        const s = this.signal;
        if (s.aborted) return;
        s.aborted = true;
        if (reason === undefined) {
          reason = new Error("This operation was aborted");
          reason.name = "AbortError";
        }
        s.reason = reason;
        const event = { type: "abort", target: s };
        if (typeof s.onabort === "function") s.onabort(event);
        for (const l of s._listeners.slice()) {
          if (l.once) s._listeners = s._listeners.filter((x) => x !== l);
          l.f.call(s, event);
        }
      }
    }
    for (const [k, v] of Object.entries({ AbortController, AbortSignal })) {
      Object.defineProperty(globalThis, k, { value: v, writable: true, configurable: true });
    }
  }

  // ------------------------------------------------------------------------------ path (POSIX)
  const path = once(() => {
    const normalizeParts = (parts, absolute) => {
      const out = [];
      for (const s of parts) {
        if (s === "" || s === ".") continue;
        if (s === "..") {
          if (out.length && out[out.length - 1] !== "..") out.pop();
          else if (!absolute) out.push("..");
        } else out.push(s);
      }
      return out;
    };
    const str = (p, name) => {
      if (typeof p !== "string") {
        const e = new TypeError(`The "${name}" argument must be of type string. Received ${typeof p}`);
        e.code = "ERR_INVALID_ARG_TYPE";
        throw e;
      }
      return p;
    };
    const P = {
      sep: "/",
      delimiter: ":",
      normalize(p) {
        str(p, "path");
        if (p === "") return ".";
        const abs = p.startsWith("/");
        const trailing = p.endsWith("/");
        let r = normalizeParts(p.split("/"), abs).join("/");
        if (r === "" && !abs) r = ".";
        if (r !== "" && trailing) r += "/";
        return (abs ? "/" : "") + r;
      },
      join(...parts) {
        const given = parts.map((p) => str(p, "path")).filter((p) => p !== "");
        return given.length ? P.normalize(given.join("/")) : ".";
      },
      resolve(...parts) {
        let r = "";
        for (let i = parts.length - 1; i >= 0 && !r.startsWith("/"); i--) {
          const p = str(parts[i], "paths[" + i + "]");
          if (p !== "") r = r === "" ? p : p + "/" + r;
        }
        if (!r.startsWith("/")) r = process.cwd() + (r === "" ? "" : "/" + r);
        const n = "/" + normalizeParts(r.split("/"), true).join("/");
        return n;
      },
      isAbsolute: (p) => str(p, "path").startsWith("/"),
      dirname(p) {
        str(p, "path");
        if (p === "") return ".";
        const t = p.replace(/\/+$/, "");
        if (t === "") return "/";
        const i = t.lastIndexOf("/");
        if (i < 0) return ".";
        if (i === 0) return "/";
        return t.slice(0, i).replace(/\/+$/, "") || "/";
      },
      basename(p, ext) {
        str(p, "path");
        const t = p.replace(/\/+$/, "");
        let b = t.slice(t.lastIndexOf("/") + 1);
        if (ext !== undefined && b.endsWith(ext) && b !== ext) b = b.slice(0, -ext.length);
        return b;
      },
      extname(p) {
        const b = P.basename(p);
        const i = b.lastIndexOf(".");
        return i <= 0 ? "" : b.slice(i);
      },
      relative(from, to) {
        const f = P.resolve(from).split("/").filter(Boolean);
        const t = P.resolve(to).split("/").filter(Boolean);
        let i = 0;
        while (i < f.length && i < t.length && f[i] === t[i]) i++;
        return [...Array(f.length - i).fill(".."), ...t.slice(i)].join("/");
      },
      parse(p) {
        str(p, "path");
        const root = p.startsWith("/") ? "/" : "";
        const base = P.basename(p);
        const ext = P.extname(p);
        let dir = P.dirname(p);
        if (dir === "." && !p.includes("/")) dir = "";
        return { root, dir, base, ext, name: ext ? base.slice(0, -ext.length) : base };
      },
      format(o) {
        const dir = o.dir || o.root || "";
        const base = o.base || (o.name || "") + (o.ext || "");
        return dir ? (dir === o.root ? dir + base : dir + "/" + base) : base;
      },
    };
    P.posix = P;
    return P;
  });

  // -------------------------------------------------------------------------------- events
  const events = once(() => {
    class EventEmitter {
      constructor() { Object.defineProperty(this, "_events", { value: new Map(), writable: true }); }
      on(name, fn) { return this.addListener(name, fn); }
      addListener(name, fn) {
        if (!this._events) Object.defineProperty(this, "_events", { value: new Map(), writable: true });
        if (!this._events.has(name)) this._events.set(name, []);
        this._events.get(name).push(fn);
        return this;
      }
      prependListener(name, fn) { this.addListener(name, fn); const l = this._events.get(name); l.unshift(l.pop()); return this; }
      once(name, fn) {
        const w = (...a) => { this.off(name, w); fn.apply(this, a); };
        w.listener = fn;
        return this.on(name, w);
      }
      off(name, fn) { return this.removeListener(name, fn); }
      removeListener(name, fn) {
        const l = this._events && this._events.get(name);
        if (l) {
          const i = l.findIndex((x) => x === fn || x.listener === fn);
          if (i >= 0) l.splice(i, 1);
        }
        return this;
      }
      removeAllListeners(name) { if (this._events) name === undefined ? this._events.clear() : this._events.delete(name); return this; }
      emit(name, ...args) {
        const l = this._events && this._events.get(name);
        if (!l || l.length === 0) {
          if (name === "error") throw args[0] instanceof Error ? args[0] : new Error("Unhandled error. (" + args[0] + ")");
          return false;
        }
        for (const fn of [...l]) fn.apply(this, args);
        return true;
      }
      listenerCount(name) { const l = this._events && this._events.get(name); return l ? l.length : 0; }
      listeners(name) { const l = this._events && this._events.get(name); return l ? l.map((x) => x.listener || x) : []; }
      eventNames() { return this._events ? [...this._events.keys()] : []; }
      setMaxListeners() { return this; }
    }
    EventEmitter.EventEmitter = EventEmitter;
    EventEmitter.once = (em, name) => new Promise((res) => em.once(name, (...a) => res(a)));
    return EventEmitter;
  });

  // ---------------------------------------------------------------------------------- util
  const util = once(() => {
    const inspect = (v) => {
      if (typeof v === "string") return "'" + v + "'";
      try { return JSON.stringify(v) ?? String(v); } catch (e) { return String(v); }
    };
    const format = (f, ...args) => {
      if (typeof f !== "string") return [f, ...args].map((a) => (typeof a === "string" ? a : inspect(a))).join(" ");
      let i = 0;
      let out = f.replace(/%([sdifjoO%])/g, (m, c) => {
        if (c === "%") return "%";
        if (i >= args.length) return m;
        const a = args[i++];
        switch (c) {
          case "s": return typeof a === "string" ? a : typeof a === "object" && a !== null ? inspect(a) : String(a);
          case "d": case "i": return String(c === "i" ? parseInt(a, 10) : Number(a));
          case "f": return String(parseFloat(a));
          case "j": try { return JSON.stringify(a); } catch (e) { return "[Circular]"; }
          default: return inspect(a);
        }
      });
      for (; i < args.length; i++) out += " " + (typeof args[i] === "string" ? args[i] : inspect(args[i]));
      return out;
    };
    const deepEqual = (a, b) => {
      if (Object.is(a, b)) return true;
      if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
      if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
      if (a instanceof Date) return a.getTime() === b.getTime();
      if (a instanceof Map || a instanceof Set) return deepEqual([...a], [...b]);
      const ka = Object.keys(a);
      const kb = Object.keys(b);
      return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
    };
    return {
      format,
      inspect,
      isDeepStrictEqual: deepEqual,
      inherits(ctor, superCtor) { Object.setPrototypeOf(ctor.prototype, superCtor.prototype); Object.setPrototypeOf(ctor, superCtor); },
      promisify: (fn) => (...args) => new Promise((res, rej) => fn(...args, (e, v) => (e ? rej(e) : res(v)))),
      TextEncoder: globalThis.TextEncoder,
      TextDecoder: globalThis.TextDecoder,
      types: { isPromise: (v) => v instanceof Promise, isDate: (v) => v instanceof Date, isRegExp: (v) => v instanceof RegExp },
    };
  });

  // ------------------------------------------------------------------------------------ os
  const os = once(() => ({
    EOL: "\n",
    platform: () => "linux",
    type: () => "Linux",
    arch: () => "wasm32",
    release: () => "0.0.0",
    hostname: () => "airlock",
    homedir: () => "/",
    tmpdir: () => "/tmp",
    cpus: () => [],
    totalmem: () => 0,
    freemem: () => 0,
    endianness: () => "LE",
  }));

  // -------------------------------------------------------------------------------- assert
  const assert = once(() => {
    class AssertionError extends Error {
      constructor(o) {
        super(o.message);
        this.name = "AssertionError";
        this.code = "ERR_ASSERTION";
        this.actual = o.actual;
        this.expected = o.expected;
        this.operator = o.operator;
      }
    }
    const fail = (actual, expected, message, operator, dflt) => {
      if (message instanceof Error) throw message;
      throw new AssertionError({ message: message || dflt, actual, expected, operator });
    };
    const show = (v) => util().inspect(v);
    const ok = (v, message) => { if (!v) fail(v, true, message, "==", "The expression evaluated to a falsy value:\n\n  assert.ok(" + show(v) + ")\n"); };
    const A = (v, m) => ok(v, m);
    Object.assign(A, {
      AssertionError,
      ok,
      equal: (a, b, m) => { if (a != b) fail(a, b, m, "==", `${show(a)} == ${show(b)}`); },
      notEqual: (a, b, m) => { if (a == b) fail(a, b, m, "!=", `${show(a)} != ${show(b)}`); },
      strictEqual: (a, b, m) => { if (!Object.is(a, b)) fail(a, b, m, "strictEqual", `Expected values to be strictly equal:\n\n${show(a)} !== ${show(b)}\n`); },
      notStrictEqual: (a, b, m) => { if (Object.is(a, b)) fail(a, b, m, "notStrictEqual", `Expected "actual" to be strictly unequal to: ${show(b)}`); },
      deepStrictEqual: (a, b, m) => { if (!util().isDeepStrictEqual(a, b)) fail(a, b, m, "deepStrictEqual", `Expected values to be strictly deep-equal:\n${show(a)}\n\nshould equal\n\n${show(b)}`); },
      notDeepStrictEqual: (a, b, m) => { if (util().isDeepStrictEqual(a, b)) fail(a, b, m, "notDeepStrictEqual", "Expected \"actual\" not to be strictly deep-equal to: " + show(b)); },
      throws(fn, expected, m) {
        try { fn(); } catch (e) {
          if (typeof expected === "function" && expected.prototype !== undefined && !(e instanceof expected)) throw e;
          if (expected instanceof RegExp && !expected.test(String(e && e.message))) fail(e, expected, m, "throws", "The error message does not match " + expected);
          return;
        }
        fail(undefined, expected, typeof expected === "string" ? expected : m, "throws", "Missing expected exception.");
      },
      fail: (m) => fail(undefined, undefined, m, "fail", "Failed"),
    });
    A.deepEqual = A.deepStrictEqual;
    A.strict = A;
    return A;
  });

  // ------------------------------------- process, timers, timers/promises, tty, perf_hooks, console
  // the interpreter's own globals, under the names Node's modules give them
  const timers = once(() => ({
    setTimeout, clearTimeout, setInterval, clearInterval, setImmediate,
    clearImmediate: typeof clearImmediate === "function" ? clearImmediate : clearTimeout,
    queueMicrotask,
  }));
  const aborted = (signal) => {
    const e = new Error("The operation was aborted");
    e.name = "AbortError";
    e.code = "ABORT_ERR";
    e.cause = signal && signal.reason;
    return e;
  };
  const wait = (start, clear, arg, value, options) => new Promise((resolve, reject) => {
    const signal = options && options.signal;
    if (signal && signal.aborted) return reject(aborted(signal));
    const id = start(() => resolve(value), arg);
    if (signal) signal.addEventListener("abort", () => { clear(id); reject(aborted(signal)); }, { once: true });
  });
  const timersPromises = once(() => ({
    setTimeout: (ms, value, options) => wait(setTimeout, clearTimeout, ms, value, options),
    setImmediate: (value, options) => wait((f) => setImmediate(f), timers().clearImmediate, undefined, value, options),
    async *setInterval(ms, value) {
      for (;;) yield await wait(setTimeout, clearTimeout, ms, value);
    },
    scheduler: {
      wait: (ms, options) => wait(setTimeout, clearTimeout, ms, undefined, options),
      yield: () => wait((f) => setImmediate(f), timers().clearImmediate, undefined, undefined),
    },
  }));
  const tty = once(() => {
    // a box's standard streams are never terminals
    class ReadStream { constructor() { this.isTTY = false; } }
    class WriteStream { constructor() { this.isTTY = false; } }
    return { isatty: () => false, ReadStream, WriteStream };
  });

  return {
    path,
    events,
    util,
    os,
    assert,
    "assert/strict": assert,
    __box: box, // for node-fs.js, which adds fs
    process: () => globalThis.process,
    timers,
    "timers/promises": timersPromises,
    tty,
    perf_hooks: once(() => ({ performance: globalThis.performance })),
    console: () => globalThis.console,
  };
});
