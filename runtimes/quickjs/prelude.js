// Airlock's JavaScript prelude, compiled into airlock-js.wasm (build.sh) and evaluated once by
// init(): Node-like console and util.inspect, timers, the tool bridge and the web built-ins QuickJS
// lacks. It is one function of the driver's natives; what it returns are the driver's hooks.
(function (native) {
  "use strict";
  const G = globalThis;
  const hide = (o, name, value) =>
    Object.defineProperty(o, name, { value, writable: true, configurable: true, enumerable: false });

  // ---------------------------------------------------------------- inspect (Node's util.inspect)
  const ident = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
  const TypedArray = Object.getPrototypeOf(Uint8Array);
  const escapes = { "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f", "\v": "\\v" };

  function quote(s) {
    let q = "'";
    if (s.includes("'")) {
      if (!s.includes('"')) q = '"';
      else if (!s.includes("`") && !s.includes("${")) q = "`";
    }
    let out = "";
    for (const ch of s) {
      const c = ch.codePointAt(0);
      if (ch === q || ch === "\\") out += "\\" + ch;
      else if (escapes[ch]) out += escapes[ch];
      else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0").toUpperCase();
      else out += ch;
    }
    return q + out + q;
  }

  function key(k) {
    if (typeof k === "symbol") return "[" + k.toString() + "]";
    return ident.test(k) ? k : quote(k);
  }

  function funcBase(f) {
    const src = Function.prototype.toString.call(f);
    const tag = f[Symbol.toStringTag];
    if (/^class\b/.test(src)) {
      let s = "[class " + (f.name || "(anonymous)");
      const sup = Object.getPrototypeOf(f);
      if (sup && sup !== Function.prototype && sup.name) s += " extends " + sup.name;
      return s + "]";
    }
    const type =
      tag === "AsyncFunction" || tag === "GeneratorFunction" || tag === "AsyncGeneratorFunction"
        ? tag
        : "Function";
    return "[" + type + (f.name ? ": " + f.name : " (anonymous)") + "]";
  }

  function ctorName(v) {
    let o = v;
    while (o !== null) {
      const d = Object.getOwnPropertyDescriptor(o, "constructor");
      if (d && typeof d.value === "function" && d.value.name !== "") return d.value.name;
      o = Object.getPrototypeOf(o);
    }
    return null;
  }

  function errorText(e) {
    let stack = typeof e.stack === "string" ? e.stack : "";
    stack = stack
      .split("\n")
      .filter((l) => l && !l.includes("<airlock>"))
      .join("\n");
    let head;
    try {
      head = Error.prototype.toString.call(e);
    } catch (x) {
      head = "Error";
    }
    return stack ? head + "\n" + stack : head;
  }

  function inspect(v, opts) {
    const ctx = {
      seen: [],
      circular: new Map(),
      depth: opts && opts.depth !== undefined ? opts.depth : 2,
      indentationLvl: 0,
      currentDepth: 0,
      breakLength: 80,
      showHidden: !!(opts && opts.showHidden),
    };
    return formatValue(ctx, v, 0, true);
  }

  function formatPrimitive(v, top) {
    switch (typeof v) {
      case "string":
        return top === "raw" ? v : quote(v);
      case "number":
        return Object.is(v, -0) ? "-0" : String(v);
      case "bigint":
        return String(v) + "n";
      case "symbol":
        return v.toString();
      default:
        return String(v);
    }
  }

  const custom = Symbol.for("nodejs.util.inspect.custom");
  const shown = new WeakSet(); // what a custom inspector returned: printed as it is

  function formatValue(ctx, v, recurseTimes, typedElem) {
    if (v === null || (typeof v !== "object" && typeof v !== "function")) return formatPrimitive(v);
    if (typeof v[custom] === "function" && !shown.has(v)) {
      const r = v[custom](ctx.depth - recurseTimes, { depth: ctx.depth }, inspect);
      if (r !== v) {
        if (typeof r === "string") return r;
        if (r !== null && typeof r === "object") shown.add(r);
        return formatValue(ctx, r, recurseTimes);
      }
    }
    if (ctx.seen.includes(v)) {
      let index = ctx.circular.get(v);
      if (index === undefined) {
        index = ctx.circular.size + 1;
        ctx.circular.set(v, index);
      }
      return "[Circular *" + index + "]";
    }
    return formatRaw(ctx, v, recurseTimes);
  }

  function getKeys(v, arrayLike) {
    let keys = Object.keys(v);
    if (arrayLike) keys = keys.filter((k) => !(String(k >>> 0) === k && (k >>> 0) !== 4294967295));
    const syms = Object.getOwnPropertySymbols(v).filter(
      (s) => Object.getOwnPropertyDescriptor(v, s).enumerable,
    );
    return keys.concat(syms);
  }

  function formatRaw(ctx, v, recurseTimes) {
    let keys;
    let base = "";
    let braces;
    let formatter = () => [];
    let extrasArray = false;
    const name = ctorName(v);
    const tag = v[Symbol.toStringTag];
    const prefix = (fallback, size) => {
      let p = name === null ? "[" + fallback + ": null prototype]" : name;
      if (size !== undefined) p += "(" + size + ")";
      if (typeof tag === "string" && tag !== "" && tag !== name && name !== null) p += " [" + tag + "]";
      return p + " ";
    };
    if (Array.isArray(v)) {
      keys = getKeys(v, true);
      const p = name === "Array" ? "" : prefix("Array", v.length);
      braces = [p + "[", "]"];
      if (v.length === 0 && keys.length === 0) return braces[0] + "]";
      extrasArray = true;
      formatter = formatArray;
    } else if (v instanceof Map) {
      keys = getKeys(v);
      braces = [prefix("Map", v.size) + "{", "}"];
      if (v.size === 0 && keys.length === 0) return braces[0] + "}";
      formatter = formatMap;
    } else if (v instanceof Set) {
      keys = getKeys(v);
      braces = [prefix("Set", v.size) + "{", "}"];
      if (v.size === 0 && keys.length === 0) return braces[0] + "}";
      formatter = formatSet;
    } else if (v instanceof TypedArray) {
      keys = getKeys(v, true);
      braces = [prefix(tag, v.length) + "[", "]"];
      if (v.length === 0 && keys.length === 0) return braces[0] + "]";
      extrasArray = true;
      formatter = formatTyped;
    } else if (typeof v === "function") {
      keys = getKeys(v).filter((k) => k !== "prototype");
      base = funcBase(v);
      if (keys.length === 0) return base;
      braces = ["{", "}"];
    } else if (v instanceof Error) {
      keys = getKeys(v).filter((k) => k !== "stack" && k !== "message");
      base = errorText(v);
      if (keys.length === 0) return base;
      braces = ["{", "}"];
    } else if (v instanceof Date) {
      keys = getKeys(v);
      base = isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
      if (keys.length === 0) return base;
      braces = ["{", "}"];
    } else if (v instanceof RegExp) {
      keys = getKeys(v).filter((k) => k !== "lastIndex");
      base = RegExp.prototype.toString.call(v);
      if (keys.length === 0) return base;
      braces = ["{", "}"];
    } else if (v instanceof Promise) {
      keys = getKeys(v);
      braces = [prefix("Promise") + "{", "}"];
      formatter = formatPromise;
    } else if (v instanceof WeakMap || v instanceof WeakSet) {
      keys = getKeys(v);
      braces = [prefix(v instanceof WeakMap ? "WeakMap" : "WeakSet") + "{", "}"];
      formatter = () => ["<items unknown>"];
    } else if (v instanceof ArrayBuffer) {
      keys = getKeys(v);
      braces = [prefix("ArrayBuffer") + "{", "}"];
      formatter = formatBuffer;
    } else if (v instanceof Number || v instanceof String || v instanceof Boolean) {
      const t = v instanceof Number ? "Number" : v instanceof String ? "String" : "Boolean";
      keys = getKeys(v, v instanceof String);
      base = "[" + t + ": " + formatPrimitive(v.valueOf()) + "]";
      if (keys.length === 0) return base;
      braces = ["{", "}"];
    } else {
      keys = getKeys(v);
      if (name === "Object" && typeof tag === "string" && tag !== "") {
        braces = ["Object [" + tag + "] {", "}"];
      } else if (name === "Object") {
        braces = ["{", "}"];
      } else {
        braces = [prefix("Object") + "{", "}"];
      }
      if (keys.length === 0) return braces[0] + "}";
    }
    if (recurseTimes > ctx.depth && ctx.depth !== null) {
      return "[" + (name === null ? "Object: null prototype" : Array.isArray(v) ? "Array" : name) + "]";
    }
    recurseTimes += 1;
    ctx.seen.push(v);
    ctx.currentDepth = recurseTimes;
    let output = formatter(ctx, v, recurseTimes);
    for (const k of keys) output.push(formatProperty(ctx, v, recurseTimes, k, false));
    if (ctx.showHidden && Array.isArray(v)) output.push("[length]: " + v.length);
    ctx.seen.pop();
    let res = reduceToSingleString(ctx, output, base, braces, extrasArray, recurseTimes, v);
    const index = ctx.circular.get(v);
    if (index !== undefined) {
      res = "<ref *" + index + "> " + res;
    }
    return res;
  }

  function formatProperty(ctx, v, recurseTimes, k, arrayItem) {
    const desc = Object.getOwnPropertyDescriptor(v, k) || { value: v[k], enumerable: true };
    let str;
    if (desc.value !== undefined || !("get" in desc)) {
      ctx.indentationLvl += 2;
      str = formatValue(ctx, desc.value, recurseTimes);
      ctx.indentationLvl -= 2;
    } else if (desc.get !== undefined) {
      str = desc.set !== undefined ? "[Getter/Setter]" : "[Getter]";
    } else {
      str = desc.set !== undefined ? "[Setter]" : "undefined";
    }
    if (arrayItem) return str;
    return key(k) + ": " + str;
  }

  function formatArray(ctx, v, recurseTimes) {
    const out = [];
    const max = Math.min(100, v.length);
    let holes = 0;
    const flush = () => {
      if (holes > 0) out.push("<" + holes + " empty item" + (holes > 1 ? "s" : "") + ">");
      holes = 0;
    };
    for (let i = 0; i < v.length && out.length < max; i++) {
      if (!Object.prototype.hasOwnProperty.call(v, i)) {
        holes++;
        continue;
      }
      flush();
      out.push(formatProperty(ctx, v, recurseTimes, String(i), true));
    }
    flush();
    const shown = out.length;
    if (v.length > 100 && shown >= 100) {
      const rest = v.length - 100;
      out.push("... " + rest + " more item" + (rest > 1 ? "s" : ""));
    }
    return out;
  }

  function formatTyped(ctx, v, recurseTimes) {
    const out = [];
    const max = Math.min(100, v.length);
    for (let i = 0; i < max; i++) out.push(formatPrimitive(v[i]));
    if (v.length > 100) out.push("... " + (v.length - 100) + " more item" + (v.length - 100 > 1 ? "s" : ""));
    return out;
  }

  function formatMap(ctx, v, recurseTimes) {
    const out = [];
    ctx.indentationLvl += 2;
    for (const [k, val] of v) {
      out.push(formatValue(ctx, k, recurseTimes) + " => " + formatValue(ctx, val, recurseTimes));
    }
    ctx.indentationLvl -= 2;
    return out;
  }

  function formatSet(ctx, v, recurseTimes) {
    const out = [];
    ctx.indentationLvl += 2;
    for (const val of v) out.push(formatValue(ctx, val, recurseTimes));
    ctx.indentationLvl -= 2;
    return out;
  }

  function formatPromise(ctx, v, recurseTimes) {
    const s = native.promise(v);
    if (!s || s[0] === 0) return ["<pending>"];
    ctx.indentationLvl += 2;
    const str = formatValue(ctx, s[1], recurseTimes);
    ctx.indentationLvl -= 2;
    return [s[0] === 2 ? "<rejected> " + str : str];
  }

  function formatBuffer(ctx, v) {
    const bytes = new Uint8Array(v);
    let hex = Array.from(bytes.subarray(0, 50), (b) => b.toString(16).padStart(2, "0")).join(" ");
    if (bytes.length > 50) hex += " ... " + (bytes.length - 50) + " more byte" + (bytes.length - 50 > 1 ? "s" : "");
    return ["[Uint8Contents]: <" + hex + ">", "byteLength: " + v.byteLength];
  }

  function groupArrayElements(ctx, output, value) {
    let totalLength = 0;
    let maxLength = 0;
    let i = 0;
    let outputLength = output.length;
    if (value && value.length > 100 && output.length > 100) outputLength--;
    const separatorSpace = 2;
    const dataLen = new Array(outputLength);
    for (; i < outputLength; i++) {
      const len = output[i].length;
      dataLen[i] = len;
      totalLength += len + separatorSpace;
      if (maxLength < len) maxLength = len;
    }
    const actualMax = maxLength + separatorSpace;
    if (
      actualMax * 3 + ctx.indentationLvl < ctx.breakLength &&
      (totalLength / actualMax > 5 || maxLength <= 6)
    ) {
      const averageBias = Math.sqrt(actualMax - totalLength / output.length);
      const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
      const columns = Math.min(
        Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
        Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
        3 * 4,
        15,
      );
      if (columns <= 1) return output;
      const tmp = [];
      const maxLineLength = [];
      for (let c = 0; c < columns; c++) {
        let lineLength = 0;
        for (let j = c; j < output.length; j += columns) {
          if (dataLen[j] > lineLength) lineLength = dataLen[j];
        }
        maxLineLength.push(lineLength + separatorSpace);
      }
      let padStart = true;
      if (value !== undefined) {
        for (let k = 0; k < output.length; k++) {
          if (typeof value[k] !== "number" && typeof value[k] !== "bigint") {
            padStart = false;
            break;
          }
        }
      }
      for (let r = 0; r < outputLength; r += columns) {
        const max = Math.min(r + columns, outputLength);
        let str = "";
        let j = r;
        for (; j < max - 1; j++) {
          const s = output[j] + ", ";
          str += padStart ? s.padStart(maxLineLength[j - r]) : s.padEnd(maxLineLength[j - r]);
        }
        str += padStart ? output[j].padStart(maxLineLength[j - r] - separatorSpace) : output[j];
        tmp.push(str);
      }
      if (outputLength < output.length) tmp.push(output[outputLength]);
      output = tmp;
    }
    return output;
  }

  function isBelowBreakLength(ctx, output, start, base) {
    let totalLength = output.length + start;
    if (totalLength + output.length > ctx.breakLength) return false;
    for (let i = 0; i < output.length; i++) {
      totalLength += output[i].length;
      if (totalLength > ctx.breakLength) return false;
    }
    return base === "" || !base.includes("\n");
  }

  function reduceToSingleString(ctx, output, base, braces, extrasArray, recurseTimes, value) {
    const entries = output.length;
    if (extrasArray && entries > 6) output = groupArrayElements(ctx, output, value);
    if (ctx.currentDepth - recurseTimes < 3 && entries === output.length) {
      const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
      if (isBelowBreakLength(ctx, output, start, base)) {
        const joined = output.join(", ");
        if (!joined.includes("\n")) {
          return (base ? base + " " : "") + braces[0] + " " + joined + " " + braces[1];
        }
      }
    }
    const indentation = "\n" + " ".repeat(ctx.indentationLvl);
    return (
      (base ? base + " " : "") +
      braces[0] +
      indentation +
      "  " +
      output.join("," + indentation + "  ") +
      indentation +
      braces[1]
    );
  }

  // -------------------------------------------------------------------------------- console
  function formatArgs(args) {
    let i = 0;
    let out = "";
    if (typeof args[0] === "string" && args.length > 1 && args[0].includes("%")) {
      const f = args[0];
      i = 1;
      let last = 0;
      for (let p = 0; p < f.length - 1; p++) {
        if (f[p] !== "%") continue;
        const c = f[p + 1];
        let s;
        if (c === "%") {
          out += f.slice(last, p) + "%";
          last = p + 2;
          p++;
          continue;
        }
        if (i >= args.length || !"sdifjoOc".includes(c)) continue;
        const a = args[i];
        switch (c) {
          case "s":
            s = typeof a === "string" ? a : typeof a === "bigint" ? a + "n"
              : typeof a === "object" && a !== null ? inspect(a, { depth: 0 }) : formatPrimitive(a);
            break;
          case "d":
          case "i":
            if (typeof a === "bigint") s = a + "n";
            else if (typeof a === "symbol") s = "NaN";
            else {
              const n = c === "d" ? Number(a) : parseInt(a);
              s = formatPrimitive(n);
            }
            break;
          case "f":
            s = typeof a === "symbol" ? "NaN" : formatPrimitive(parseFloat(a));
            break;
          case "j":
            try {
              s = JSON.stringify(a);
            } catch (e) {
              s = "[Circular]";
            }
            break;
          case "o":
          case "O":
            s = inspect(a, c === "o" ? { depth: 4, showHidden: true } : undefined);
            break;
          case "c":
            s = "";
            break;
        }
        out += f.slice(last, p) + s;
        last = p + 2;
        p++;
        i++;
      }
      out += f.slice(last);
      if (i < args.length) out += " ";
    }
    const rest = [];
    for (; i < args.length; i++) {
      rest.push(typeof args[i] === "string" ? args[i] : inspect(args[i]));
    }
    return out + rest.join(" ");
  }

  let groupIndent = "";
  const counts = new Map();
  const timers = new Map();
  const print = (fd) =>
    function (...args) {
      let s = formatArgs(args);
      if (groupIndent) s = groupIndent + s.split("\n").join("\n" + groupIndent);
      native.write(fd, s + "\n");
    };
  const console = {
    log: print(1),
    info: print(1),
    debug: print(1),
    warn: print(2),
    error: print(2),
    trace: print(2),
    dir: (v, o) => native.write(1, inspect(v, o) + "\n"),
    assert: (c, ...a) => {
      if (!c) console.error(...(a.length ? ["Assertion failed:", ...a] : ["Assertion failed"]));
    },
    group: (...a) => {
      if (a.length) console.log(...a);
      groupIndent += "  ";
    },
    groupEnd: () => {
      groupIndent = groupIndent.slice(2);
    },
    count: (label = "default") => {
      const n = (counts.get(label) || 0) + 1;
      counts.set(label, n);
      console.log(label + ": " + n);
    },
    countReset: (label = "default") => counts.delete(label),
    time: (label = "default") => timers.set(label, native.now()),
    timeEnd: (label = "default") => {
      const t = timers.get(label);
      if (t !== undefined) console.log(label + ": " + (native.now() - t).toFixed(3) + "ms");
      timers.delete(label);
    },
    table: (v) => console.log(v),
  };
  console.timeLog = console.timeEnd;
  hide(G, "console", console);

  // ------------------------------------------------------------------------------- timers
  const queue = new Map(); // id -> timer
  let nextId = 1;
  let seq = 0;
  function addTimer(cb, ms, args, repeat) {
    if (typeof cb !== "function") throw new TypeError('The "callback" argument must be of type function');
    ms = Number(ms);
    if (!(ms >= 1 && ms <= 2147483647)) ms = 1;
    const id = nextId++;
    queue.set(id, { id, cb, args, ms, repeat, due: native.now() + ms, seq: seq++ });
    return new Timeout(id);
  }
  class Timeout {
    constructor(id) {
      hide(this, "_id", id);
    }
    ref() {
      return this;
    }
    unref() {
      return this;
    }
    hasRef() {
      return true;
    }
    [Symbol.toPrimitive]() {
      return this._id;
    }
  }
  const clear = (t) => {
    if (t === undefined || t === null) return;
    queue.delete(typeof t === "object" ? t._id : Number(t));
  };
  hide(G, "setTimeout", (cb, ms, ...args) => addTimer(cb, ms, args, false));
  hide(G, "setInterval", (cb, ms, ...args) => addTimer(cb, ms, args, true));
  hide(G, "setImmediate", (cb, ...args) => addTimer(cb, 0, args, false));
  hide(G, "clearTimeout", clear);
  hide(G, "clearInterval", clear);
  hide(G, "clearImmediate", clear);
  hide(G, "queueMicrotask", (cb) => {
    if (typeof cb !== "function") throw new TypeError('The "callback" argument must be of type function');
    Promise.resolve().then(() => cb());
  });
  function earliest() {
    let best;
    for (const t of queue.values()) {
      if (best === undefined || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }

  // ------------------------------------------------------------------ web and Node built-ins
  // performance.now() counts from its first use in an instance (reading the clock only when a
  // program asks for the time, so that a policy denying clocks records no denial otherwise)
  let origin = null;
  const sinceOrigin = () => {
    const t = native.now();
    if (origin === null) origin = t;
    return t - origin;
  };
  hide(G, "performance", {
    now: sinceOrigin,
    get timeOrigin() {
      return Date.now() - sinceOrigin();
    },
  });

  const getRandomValues = (a) => {
    if (!ArrayBuffer.isView(a) || a instanceof Float32Array || a instanceof Float64Array || a instanceof DataView) {
      throw new DOMException("The data argument must be an integer-type TypedArray", "TypeMismatchError");
    }
    if (a.byteLength > 65536) throw new RangeError("The ArrayBufferView's byte length exceeds 65536");
    native.random(a.buffer, a.byteOffset, a.byteLength);
    return a;
  };
  hide(G, "crypto", {
    getRandomValues,
    randomUUID() {
      const b = getRandomValues(new Uint8Array(16));
      b[6] = (b[6] & 0x0f) | 0x40;
      b[8] = (b[8] & 0x3f) | 0x80;
      const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
      return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
    },
  });

  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  hide(G, "btoa", (s) => {
    s = String(s);
    let out = "";
    for (let i = 0; i < s.length; i += 3) {
      const c = [s.charCodeAt(i), s.charCodeAt(i + 1), s.charCodeAt(i + 2)];
      for (const x of c) if (x > 255) throw new DOMException("Invalid character", "InvalidCharacterError");
      const n = (c[0] << 16) | ((c[1] || 0) << 8) | (c[2] || 0);
      out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
      out += i + 1 < s.length ? B64[(n >> 6) & 63] : "=";
      out += i + 2 < s.length ? B64[n & 63] : "=";
    }
    return out;
  });
  hide(G, "atob", (s) => {
    s = String(s).replace(/[\t\n\f\r ]/g, "");
    if (s.length % 4 === 0) s = s.replace(/==?$/, "");
    if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) {
      throw new DOMException("The string to be decoded is not correctly encoded.", "InvalidCharacterError");
    }
    let out = "";
    let bits = 0;
    let n = 0;
    for (const ch of s) {
      n = (n << 6) | B64.indexOf(ch);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += String.fromCharCode((n >> bits) & 255);
      }
    }
    return out;
  });

  class DOMException extends Error {
    constructor(message = "", name = "Error") {
      super(message);
      hide(this, "name", name);
    }
  }
  hide(G, "DOMException", DOMException);

  class TextEncoder {
    get encoding() {
      return "utf-8";
    }
    encode(s = "") {
      s = String(s);
      const out = [];
      for (let i = 0; i < s.length; i++) {
        let c = s.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
          const d = s.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
            i++;
          }
        }
        if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
        if (c < 0x80) out.push(c);
        else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
        else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
        else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      }
      return new Uint8Array(out);
    }
    encodeInto(s, dest) {
      let read = 0;
      let written = 0;
      for (const ch of String(s)) {
        const b = this.encode(ch);
        if (written + b.length > dest.length) break;
        dest.set(b, written);
        written += b.length;
        read += ch.length;
      }
      return { read, written };
    }
  }
  class TextDecoder {
    constructor(label = "utf-8", options = {}) {
      label = String(label).toLowerCase();
      if (label !== "utf-8" && label !== "utf8") throw new RangeError('The "' + label + '" encoding is not supported');
      hide(this, "_fatal", !!options.fatal);
    }
    get encoding() {
      return "utf-8";
    }
    decode(input) {
      if (input === undefined) return "";
      const b = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      let out = "";
      let i = 0;
      if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
      const bad = () => {
        if (this._fatal) throw new TypeError("The encoded data was not valid for encoding utf-8");
        out += "\ufffd";
      };
      while (i < b.length) {
        const c = b[i];
        let need = 0;
        let cp = 0;
        let min = 0;
        if (c < 0x80) {
          out += String.fromCharCode(c);
          i++;
          continue;
        } else if (c >= 0xc2 && c <= 0xdf) (need = 1), (cp = c & 31), (min = 0x80);
        else if (c >= 0xe0 && c <= 0xef) (need = 2), (cp = c & 15), (min = 0x800);
        else if (c >= 0xf0 && c <= 0xf4) (need = 3), (cp = c & 7), (min = 0x10000);
        else {
          bad();
          i++;
          continue;
        }
        let j = 1;
        for (; j <= need; j++) {
          const d = b[i + j];
          if (d === undefined || (d & 0xc0) !== 0x80) break;
          cp = (cp << 6) | (d & 63);
        }
        if (j <= need || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
          bad();
          i += Math.max(1, j);
          continue;
        }
        out += String.fromCodePoint(cp);
        i += need + 1;
      }
      return out;
    }
  }
  hide(G, "TextEncoder", TextEncoder);
  hide(G, "TextDecoder", TextDecoder);

  function clone(v, seen) {
    if (v === null || typeof v !== "object") {
      if (typeof v === "function" || typeof v === "symbol") {
        throw new DOMException(String(v) + " could not be cloned.", "DataCloneError");
      }
      return v;
    }
    if (seen.has(v)) return seen.get(v);
    let out;
    if (Array.isArray(v)) {
      out = new Array(v.length);
      seen.set(v, out);
      for (const k of Object.keys(v)) out[k] = clone(v[k], seen);
      return out;
    }
    if (v instanceof Date) out = new Date(v.getTime());
    else if (v instanceof RegExp) out = new RegExp(v.source, v.flags);
    else if (v instanceof ArrayBuffer) out = v.slice(0);
    else if (ArrayBuffer.isView(v)) {
      const buf = clone(v.buffer, seen);
      out = v instanceof DataView ? new DataView(buf, v.byteOffset, v.byteLength) : new v.constructor(buf, v.byteOffset, v.length);
    } else if (v instanceof Map) {
      out = new Map();
      seen.set(v, out);
      for (const [k, x] of v) out.set(clone(k, seen), clone(x, seen));
      return out;
    } else if (v instanceof Set) {
      out = new Set();
      seen.set(v, out);
      for (const x of v) out.add(clone(x, seen));
      return out;
    } else if (v instanceof Error) {
      const E = { EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError }[v.name] || Error;
      out = new E(v.message);
      if (v.stack !== undefined) hide(out, "stack", v.stack);
      if ("cause" in v) hide(out, "cause", clone(v.cause, seen));
    } else if (v instanceof Boolean || v instanceof Number || v instanceof String) {
      out = Object(v.valueOf());
    } else if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet || v instanceof WeakRef) {
      throw new DOMException(Object.prototype.toString.call(v).slice(8, -1) + " object could not be cloned.", "DataCloneError");
    } else {
      out = {};
      seen.set(v, out);
      for (const k of Object.keys(v)) out[k] = clone(v[k], seen);
      return out;
    }
    seen.set(v, out);
    return out;
  }
  hide(G, "structuredClone", (v) => clone(v, new Map()));

  // URL and URLSearchParams: the WHATWG parser's common cases (special schemes, userinfo, ports,
  // dot segments, percent-encoding); no IDNA or IPv6 normalisation.
  const DEFAULT_PORTS = { "http:": "80", "https:": "443", "ws:": "80", "wss:": "443", "ftp:": "21", "file:": "" };
  const encodeSet = (s, re) =>
    s.replace(re, (c) => Array.from(new TextEncoder().encode(c), (b) => "%" + b.toString(16).toUpperCase().padStart(2, "0")).join(""));
  const PATH_ENC = /[\u0000-\u0020"#<>?`{}\u007f-\uffff]/gu;
  const QUERY_ENC = /[\u0000-\u0020"#<>\u007f-\uffff]/gu;
  const FRAG_ENC = /[\u0000-\u0020"<>`\u007f-\uffff]/gu;
  const USER_ENC = /[\u0000-\u0020"#<>?`{}/:;=@[\\\]^|\u007f-\uffff]/gu;

  function normalizePath(path, special) {
    const segs = path.split("/");
    const out = [];
    for (let i = 1; i < segs.length; i++) {
      const s = segs[i];
      const last = i === segs.length - 1;
      if (s === ".." || s.toLowerCase() === "%2e%2e") {
        out.pop();
        if (last) out.push("");
      } else if (s === "." || s.toLowerCase() === "%2e") {
        if (last) out.push("");
      } else out.push(s);
    }
    return "/" + out.join("/");
  }

  class URL {
    constructor(input, base) {
      this._init(input, base);
      hide(this, "_params", null);
      for (const k of Object.keys(this)) Object.defineProperty(this, k, { enumerable: false });
    }
    _init(input, base) {
      input = String(input).trim();
      const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(input);
      if (!m) {
        if (base === undefined) throw new TypeError("Invalid URL");
        const b = base instanceof URL ? base : new URL(base);
        this._set(b);
        this._relative(input);
        return;
      }
      this._protocol = m[1].toLowerCase() + ":";
      let rest = m[2];
      this._username = this._password = this._hostname = this._port = "";
      this._search = this._hash = "";
      const special = this._protocol in DEFAULT_PORTS;
      if (special) rest = rest.replace(/\\/g, "/");
      if (rest.startsWith("//") || (special && base === undefined)) {
        rest = rest.replace(/^\/*/, "");
        const end = rest.search(/[/?#]/);
        const auth = end < 0 ? rest : rest.slice(0, end);
        rest = end < 0 ? "" : rest.slice(end);
        this._authority(auth);
        this._rest(rest, special);
      } else if (special && base !== undefined) {
        const b = base instanceof URL ? base : new URL(base);
        if (b._protocol !== this._protocol) {
          rest = rest.replace(/^\/*/, "");
          const end = rest.search(/[/?#]/);
          this._authority(end < 0 ? rest : rest.slice(0, end));
          this._rest(end < 0 ? "" : rest.slice(end), special);
        } else {
          this._set(b);
          this._relative(rest);
        }
      } else {
        this._opaque = true;
        const h = rest.indexOf("#");
        if (h >= 0) (this._hash = encodeSet(rest.slice(h), FRAG_ENC)), (rest = rest.slice(0, h));
        const q = rest.indexOf("?");
        if (q >= 0) (this._search = encodeSet(rest.slice(q), QUERY_ENC)), (rest = rest.slice(0, q));
        this._pathname = rest;
        if (this._search === "?") this._search = "";
        if (this._hash === "#") this._hash = "";
      }
    }
    _set(b) {
      for (const k of ["_protocol", "_username", "_password", "_hostname", "_port", "_pathname", "_search", "_hash", "_opaque"]) this[k] = b[k];
    }
    _authority(auth) {
      const at = auth.lastIndexOf("@");
      if (at >= 0) {
        const cred = auth.slice(0, at);
        const c = cred.indexOf(":");
        this._username = encodeSet(c < 0 ? cred : cred.slice(0, c), USER_ENC);
        this._password = c < 0 ? "" : encodeSet(cred.slice(c + 1), USER_ENC);
        auth = auth.slice(at + 1);
      }
      const pm = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(auth);
      if (!pm) throw new TypeError("Invalid URL");
      this._hostname = pm[1].toLowerCase();
      if (this._hostname === "" && this._protocol !== "file:") throw new TypeError("Invalid URL");
      if (/[\s<>^|%]/.test(this._hostname)) throw new TypeError("Invalid URL");
      let port = pm[2] || "";
      if (port !== "") {
        const n = Number(port);
        if (n > 65535) throw new TypeError("Invalid URL");
        port = String(n);
      }
      this._port = port === DEFAULT_PORTS[this._protocol] ? "" : port;
    }
    _rest(rest, special) {
      const h = rest.indexOf("#");
      this._hash = h >= 0 ? encodeSet(rest.slice(h), FRAG_ENC) : "";
      if (h >= 0) rest = rest.slice(0, h);
      const q = rest.indexOf("?");
      this._search = q >= 0 ? encodeSet(rest.slice(q), QUERY_ENC) : "";
      if (q >= 0) rest = rest.slice(0, q);
      if (this._search === "?") this._search = "";
      if (this._hash === "#") this._hash = "";
      if (rest === "" && special) rest = "/";
      this._pathname = rest === "" ? "" : normalizePath(encodeSet(rest, PATH_ENC), special);
    }
    _relative(rel) {
      const special = this._protocol in DEFAULT_PORTS;
      if (special) rel = rel.replace(/\\/g, "/");
      if (rel.startsWith("//")) {
        rel = rel.slice(2);
        const end = rel.search(/[/?#]/);
        this._username = this._password = this._port = "";
        this._authority(end < 0 ? rel : rel.slice(0, end));
        this._rest(end < 0 ? "" : rel.slice(end), special);
      } else if (rel.startsWith("/")) {
        this._rest(rel, special);
      } else if (rel.startsWith("?")) {
        const p = this._pathname;
        this._rest(rel, special);
        this._pathname = p;
      } else if (rel.startsWith("#")) {
        const p = this._pathname;
        const s = this._search;
        this._rest(rel, special);
        this._pathname = p;
        this._search = s;
      } else if (rel === "") {
        this._hash = "";
      } else {
        const dir = this._pathname.slice(0, this._pathname.lastIndexOf("/") + 1);
        this._rest(dir + rel, special);
      }
    }
    get protocol() {
      return this._protocol;
    }
    set protocol(v) {
      this._protocol = String(v).replace(/:?$/, ":").toLowerCase();
    }
    get username() {
      return this._username;
    }
    set username(v) {
      this._username = encodeSet(String(v), USER_ENC);
    }
    get password() {
      return this._password;
    }
    set password(v) {
      this._password = encodeSet(String(v), USER_ENC);
    }
    get hostname() {
      return this._hostname;
    }
    set hostname(v) {
      this._hostname = String(v).toLowerCase();
    }
    get port() {
      return this._port;
    }
    set port(v) {
      v = String(v);
      this._port = v === DEFAULT_PORTS[this._protocol] ? "" : v;
    }
    get host() {
      return this._hostname + (this._port ? ":" + this._port : "");
    }
    set host(v) {
      const [h, p] = String(v).split(":");
      this.hostname = h;
      if (p !== undefined) this.port = p;
    }
    get origin() {
      return this._protocol in DEFAULT_PORTS && this._protocol !== "file:" ? this._protocol + "//" + this.host : "null";
    }
    get pathname() {
      return this._pathname;
    }
    set pathname(v) {
      this._pathname = normalizePath(encodeSet(String(v).replace(/^\/?/, "/"), PATH_ENC));
    }
    get search() {
      return this._search;
    }
    set search(v) {
      v = String(v);
      this._search = v === "" || v === "?" ? "" : encodeSet(v.startsWith("?") ? v : "?" + v, QUERY_ENC);
      if (this._params) this._params._reset(this._search);
    }
    get searchParams() {
      if (!this._params) {
        this._params = new URLSearchParams(this._search);
        hide(this._params, "_url", this);
      }
      return this._params;
    }
    get hash() {
      return this._hash;
    }
    set hash(v) {
      v = String(v);
      this._hash = v === "" ? "" : encodeSet(v.startsWith("#") ? v : "#" + v, FRAG_ENC);
    }
    get href() {
      if (this._opaque) return this._protocol + this._pathname + this._search + this._hash;
      const cred = this._username || this._password ? this._username + (this._password ? ":" + this._password : "") + "@" : "";
      return this._protocol + "//" + cred + this.host + this._pathname + this._search + this._hash;
    }
    toString() {
      return this.href;
    }
    toJSON() {
      return this.href;
    }
    static canParse(u, b) {
      try {
        new URL(u, b);
        return true;
      } catch (e) {
        return false;
      }
    }
  }
  for (const k of Object.getOwnPropertyNames(URL.prototype)) {
    const d = Object.getOwnPropertyDescriptor(URL.prototype, k);
    if (d.get || k === "toString" || k === "toJSON") Object.defineProperty(URL.prototype, k, { ...d, enumerable: !!d.get });
    else if (k.startsWith("_")) Object.defineProperty(URL.prototype, k, { ...d, enumerable: false });
  }
  hide(URL.prototype, Symbol.for("nodejs.util.inspect.custom"), function () {
    const o = Object.create(URL.prototype);
    for (const k of ["href", "origin", "protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "searchParams", "hash"]) {
      Object.defineProperty(o, k, { value: this[k], enumerable: true });
    }
    return o;
  });

  const formEncode = (s) =>
    encodeSet(s, /[^A-Za-z0-9*\-._ ]/gu).replace(/ /g, "+");
  const formDecode = (s) => {
    s = s.replace(/\+/g, " ");
    try {
      return decodeURIComponent(s);
    } catch (e) {
      return s;
    }
  };
  class URLSearchParams {
    constructor(init = "") {
      hide(this, "_list", []);
      hide(this, "_url", null);
      if (typeof init === "object" && init !== null) {
        if (typeof init[Symbol.iterator] === "function") {
          for (const [k, v] of init) this._list.push([String(k), String(v)]);
        } else {
          for (const k of Object.keys(init)) this._list.push([k, String(init[k])]);
        }
      } else this._reset(String(init));
    }
    _reset(s) {
      this._list.length = 0;
      if (s.startsWith("?")) s = s.slice(1);
      for (const part of s.split("&")) {
        if (part === "") continue;
        const i = part.indexOf("=");
        this._list.push(i < 0 ? [formDecode(part), ""] : [formDecode(part.slice(0, i)), formDecode(part.slice(i + 1))]);
      }
    }
    _update() {
      if (this._url) {
        const s = this.toString();
        this._url._search = s ? "?" + s : "";
      }
    }
    get size() {
      return this._list.length;
    }
    append(k, v) {
      this._list.push([String(k), String(v)]);
      this._update();
    }
    delete(k) {
      k = String(k);
      this._list.splice(0, this._list.length, ...this._list.filter((e) => e[0] !== k));
      this._update();
    }
    get(k) {
      const e = this._list.find((e) => e[0] === String(k));
      return e ? e[1] : null;
    }
    getAll(k) {
      return this._list.filter((e) => e[0] === String(k)).map((e) => e[1]);
    }
    has(k) {
      return this._list.some((e) => e[0] === String(k));
    }
    set(k, v) {
      k = String(k);
      const i = this._list.findIndex((e) => e[0] === k);
      if (i < 0) this._list.push([k, String(v)]);
      else {
        this._list[i][1] = String(v);
        this._list.splice(0, this._list.length, ...this._list.filter((e, j) => j <= i || e[0] !== k));
      }
      this._update();
    }
    sort() {
      this._list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      this._update();
    }
    forEach(f, thisArg) {
      for (const [k, v] of this._list) f.call(thisArg, v, k, this);
    }
    keys() {
      return this._list.map((e) => e[0])[Symbol.iterator]();
    }
    values() {
      return this._list.map((e) => e[1])[Symbol.iterator]();
    }
    entries() {
      return this._list.map((e) => [e[0], e[1]])[Symbol.iterator]();
    }
    [Symbol.iterator]() {
      return this.entries();
    }
    toString() {
      return this._list.map(([k, v]) => formEncode(k) + "=" + formEncode(v)).join("&");
    }
  }
  hide(URLSearchParams.prototype, Symbol.for("nodejs.util.inspect.custom"), function (depth, opts, insp) {
    if (this._list.length === 0) return "URLSearchParams {}";
    return "URLSearchParams { " + this._list.map(([k, v]) => insp(k) + " => " + insp(v)).join(", ") + " }";
  });
  hide(G, "URL", URL);
  hide(G, "URLSearchParams", URLSearchParams);

  // ------------------------------------------------------------------- process and the bridge
  class ToolError extends Error {}
  hide(ToolError.prototype, "name", "ToolError");
  const airlock = Object.freeze({
    ToolError,
    call(name, args) {
      if (typeof name !== "string") throw new TypeError("tool name must be a string");
      const answer = JSON.parse(native.call(JSON.stringify([name, args === undefined ? {} : args])));
      if (!answer.ok) throw new ToolError(answer.error);
      return answer.result;
    },
    /** The rest of the program's standard input, decoded as UTF-8 ("" once it is all read). */
    readStdin() {
      return native.read();
    },
  });
  hide(G, "airlock", airlock);

  // ------------------------------------------------------------ fetch, through the host's rules
  // Each request goes to the host as tool request "net:request" (METHOD URL, header lines, an empty
  // line, the body in base64); the host checks it against the policy's network rules and answers
  // with the whole response. Redirects are followed here, each hop a new request checked anew.
  const NET_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
  // bodies are encoded and decoded by the driver (native.utf8, b64, unb64, utf8decode): in the
  // interpreter a MiB takes a minute
  function bodyBytes(body) {
    if (body === undefined || body === null) return new Uint8Array(0);
    if (typeof body === "string") return new Uint8Array(native.utf8(body));
    if (body instanceof ArrayBuffer) return new Uint8Array(body.slice(0));
    if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
    return new Uint8Array(native.utf8(String(body)));
  }
  const bodyText = (b) => {
    const s = native.utf8decode(b.buffer, b.byteOffset, b.byteLength);
    return s !== null ? s : new TextDecoder().decode(b);
  };
  class Headers {
    constructor(init) {
      hide(this, "_map", new Map());
      if (init instanceof Headers) init.forEach((v, k) => this.append(k, v));
      else if (init && typeof init[Symbol.iterator] === "function") for (const [k, v] of init) this.append(k, v);
      else if (init && typeof init === "object") for (const k of Object.keys(init)) this.append(k, init[k]);
    }
    _name(k) {
      const n = String(k);
      if (!NET_TOKEN.test(n)) throw new TypeError("Invalid header name: " + n);
      return n.toLowerCase();
    }
    _value(v) {
      const s = String(v).trim();
      if (/[\0\r\n]/.test(s)) throw new TypeError("Invalid header value");
      return s;
    }
    append(k, v) {
      const n = this._name(k);
      const e = this._map.get(n);
      if (e) e.push(this._value(v));
      else this._map.set(n, [this._value(v)]);
    }
    set(k, v) { this._map.set(this._name(k), [this._value(v)]); }
    get(k) {
      const e = this._map.get(this._name(k));
      return e ? e.join(", ") : null;
    }
    has(k) { return this._map.has(this._name(k)); }
    delete(k) { this._map.delete(this._name(k)); }
    forEach(f, thisArg) { for (const [k, v] of this) f.call(thisArg, v, k, this); }
    *entries() { for (const k of [...this._map.keys()].sort()) yield [k, this.get(k)]; }
    *keys() { for (const [k] of this) yield k; }
    *values() { for (const [, v] of this) yield v; }
    [Symbol.iterator]() { return this.entries(); }
  }
  class Body {
    get bodyUsed() { return this._used; }
    _take() {
      if (this._used) return Promise.reject(new TypeError("Body is unusable: Body has already been read"));
      this._used = true;
      return Promise.resolve(this._bytes);
    }
    arrayBuffer() { return this._take().then((b) => b.slice().buffer); }
    bytes() { return this._take().then((b) => b.slice()); }
    text() { return this._take().then(bodyText); }
    json() { return this.text().then((t) => JSON.parse(t)); }
  }
  class Request extends Body {
    constructor(input, init = {}) {
      super();
      const from = input instanceof Request ? input : null;
      this.url = new URL(from ? from.url : String(input)).href;
      this.method = String(init.method || (from ? from.method : "GET")).toUpperCase();
      this.headers = new Headers(init.headers || (from ? from.headers : undefined));
      this.redirect = init.redirect || (from ? from.redirect : "follow");
      hide(this, "_bytes", init.body !== undefined ? bodyBytes(init.body) : from ? from._bytes : new Uint8Array(0));
      hide(this, "_used", false);
      if (typeof init.body === "string" && !this.headers.has("content-type")) {
        this.headers.set("content-type", "text/plain;charset=UTF-8");
      } else if (init.body instanceof URLSearchParams && !this.headers.has("content-type")) {
        this.headers.set("content-type", "application/x-www-form-urlencoded;charset=UTF-8");
      }
    }
  }
  class Response extends Body {
    constructor(body, init = {}) {
      super();
      hide(this, "_bytes", bodyBytes(body));
      hide(this, "_used", false);
      this.status = init.status === undefined ? 200 : init.status | 0;
      this.statusText = init.statusText === undefined ? "" : String(init.statusText);
      this.headers = new Headers(init.headers);
      this.ok = this.status >= 200 && this.status < 300;
      this.url = "";
      this.redirected = false;
      this.type = "default";
    }
    clone() {
      if (this._used) throw new TypeError("Response.clone: Body has already been consumed.");
      const r = new Response(this._bytes, this);
      Object.assign(r, { url: this.url, redirected: this.redirected, type: this.type });
      return r;
    }
    static json(data, init = {}) {
      const r = new Response(JSON.stringify(data), init);
      if (!r.headers.has("content-type")) r.headers.set("content-type", "application/json");
      return r;
    }
  }
  function send(req, url, method, body) {
    let wire = method + " " + url + "\n";
    req.headers.forEach((v, k) => (wire += k + ": " + v + "\n"));
    wire += "\n" + native.b64(body.buffer, body.byteOffset, body.byteLength);
    const answer = JSON.parse(native.call(JSON.stringify(["net:request", wire])));
    if (!answer.ok) throw new TypeError("fetch failed: " + answer.error);
    const r = answer.result;
    const bytes = native.unb64(r.body);
    if (bytes === null) throw new TypeError("fetch failed: malformed answer from the host");
    const res = new Response(new Uint8Array(bytes), { status: r.status, statusText: r.reason, headers: r.headers });
    res.url = url;
    res.type = "basic";
    return res;
  }
  function fetch(input, init) {
    try {
      const req = new Request(input, init);
      let { url, method } = req;
      let body = req._bytes;
      for (let hops = 0; ; hops++) {
        const res = send(req, url, method, body);
        const loc = res.headers.get("location");
        if (![301, 302, 303, 307, 308].includes(res.status) || loc === null || req.redirect === "manual") {
          res.redirected = hops > 0;
          return Promise.resolve(res);
        }
        if (req.redirect === "error") throw new TypeError("fetch failed: redirect to " + loc + " (redirect: 'error')");
        if (hops >= 20) throw new TypeError("fetch failed: too many redirects");
        const next = new URL(loc, url);
        if (next.origin !== new URL(url).origin) req.headers.delete("authorization");
        if ((res.status === 303 && method !== "HEAD") || ((res.status === 301 || res.status === 302) && method === "POST")) {
          method = "GET";
          body = new Uint8Array(0);
          req.headers.delete("content-type");
        }
        url = next.href;
      }
    } catch (e) {
      return Promise.reject(e instanceof TypeError ? e : new TypeError(e && e.message ? e.message : String(e)));
    }
  }
  hide(G, "Headers", Headers);
  hide(G, "Request", Request);
  hide(G, "Response", Response);
  hide(G, "fetch", fetch);
  const stream = (fd) => ({
    write(s) {
      native.write(fd, typeof s === "string" ? s : new TextDecoder().decode(s));
      return true;
    },
    isTTY: false,
  });
  hide(G, "process", {
    argv: ["node", "<input>"],
    env: {},
    platform: "wasi",
    version: "v20.0.0",
    versions: {},
    exitCode: undefined,
    exit(code) {
      native.exit(code === undefined ? G.process.exitCode || 0 : code);
    },
    hrtime: Object.assign(
      (prev) => {
        const ns = BigInt(Math.round(native.now() * 1e6));
        const t = [Number(ns / 1000000000n), Number(ns % 1000000000n)];
        if (!prev) return t;
        let s = t[0] - prev[0];
        let n = t[1] - prev[1];
        if (n < 0) (s--, (n += 1e9));
        return [s, n];
      },
      { bigint: () => BigInt(Math.round(native.now() * 1e6)) },
    ),
    nextTick: (cb, ...args) => Promise.resolve().then(() => cb(...args)),
    stdout: stream(1),
    stderr: stream(2),
    cwd: () => "/workspace",
  });
  hide(G, "global", G);

  // -------------------------------------------------------------------- the driver's hooks
  return {
    begin() {
      G.process.exitCode = undefined;
    },
    report(e, rejection) {
      const text = e instanceof Error ? errorText(e) : inspect(e);
      native.write(2, "Uncaught " + text + "\n");
    },
    nextTimer() {
      const t = earliest();
      return t === undefined ? undefined : t.due;
    },
    fireTimer() {
      const t = earliest();
      if (t === undefined) return;
      if (t.repeat) {
        // like Node: the next run is due an interval after this one started (or was due)
        t.due = Math.max(t.due, native.now()) + t.ms;
        t.seq = seq++;
      } else queue.delete(t.id);
      t.cb(...t.args);
    },
    exitCode() {
      return Number(G.process.exitCode) | 0;
    },
    clear() {
      queue.clear();
    },
  };
});
