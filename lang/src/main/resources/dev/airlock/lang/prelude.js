// Airlock's JavaScript prelude: node-like console formatting, the tool bridge, and the snippet
// runner. Evaluated once per interpreter instance (the warm image keeps it).
(function () {
  const rawLog = console.log;
  const rawError = console.error;
  const ident = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

  function quote(s) {
    return "'" + s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n") + "'";
  }

  function fmt(v, depth, seen) {
    switch (typeof v) {
      case "string":
        return depth === 0 ? v : quote(v);
      case "number":
        return Object.is(v, -0) ? "-0" : String(v);
      case "bigint":
        return String(v) + "n";
      case "undefined":
        return "undefined";
      case "boolean":
        return String(v);
      case "symbol":
        return v.toString();
      case "function":
        return v.name ? "[Function: " + v.name + "]" : "[Function (anonymous)]";
    }
    if (v === null) return "null";
    if (v instanceof Error) return v.stack ? v.name + ": " + v.message + "\n" + v.stack.replace(/\n$/, "") : String(v);
    if (seen.indexOf(v) >= 0) return "[Circular *1]";
    if (depth > 2) return Array.isArray(v) ? "[Array]" : "[Object]";
    seen = seen.concat([v]);
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      const items = v.map((x) => fmt(x, depth + 1, seen));
      return "[ " + items.join(", ") + " ]";
    }
    if (v instanceof Map) {
      const items = [];
      v.forEach((val, key) => items.push(fmt(key, depth + 1, seen) + " => " + fmt(val, depth + 1, seen)));
      return "Map(" + v.size + ") {" + (items.length ? " " + items.join(", ") + " " : "") + "}";
    }
    if (v instanceof Set) {
      const items = [];
      v.forEach((val) => items.push(fmt(val, depth + 1, seen)));
      return "Set(" + v.size + ") {" + (items.length ? " " + items.join(", ") + " " : "") + "}";
    }
    if (v instanceof Date) return v.toISOString();
    if (v instanceof RegExp) return String(v);
    const keys = Object.keys(v);
    const proto = Object.getPrototypeOf(v);
    const name = proto && proto !== Object.prototype && proto.constructor && proto.constructor.name
      ? proto.constructor.name + " " : "";
    if (keys.length === 0) return name + "{}";
    const items = keys.map((k) => (ident.test(k) ? k : quote(k)) + ": " + fmt(v[k], depth + 1, seen));
    return name + "{ " + items.join(", ") + " }";
  }

  function line(args) {
    return args.map((a) => fmt(a, 0, [])).join(" ");
  }

  console.log = (...a) => rawLog(line(a));
  console.info = console.log;
  console.debug = console.log;
  console.error = (...a) => rawError(line(a));
  console.warn = console.error;

  class ToolError extends Error {}
  ToolError.prototype.name = "ToolError";

  globalThis.airlock = Object.freeze({
    ToolError: ToolError,
    call(name, args) {
      if (typeof name !== "string") throw new TypeError("tool name must be a string");
      const answer = JSON.parse(java_invoke("airlock", "call", JSON.stringify([name, args === undefined ? {} : args])));
      if (!answer.ok) throw new ToolError(answer.error);
      return answer.result;
    },
  });

  const report = (status) => java_invoke("airlock", "status", JSON.stringify([status]));

  // Snippets run like notebook cells: each one is a direct eval inside a function created by the
  // snippet before it, so its scope encloses every earlier snippet's and top-level let, const,
  // class, var and function declarations all stay visible to later snippets (an indirect eval
  // would drop let/const/class at the end of each snippet). The chain starts at global scope, so
  // snippets never see the prelude's own variables. A snippet that throws leaves the chain as it
  // was before it.
  const NEXT = "\n;(function (__airlock_src) { return eval(__airlock_src); })";
  let scope = (0, eval)("(function (__airlock_src) { return eval(__airlock_src); })");
  Object.defineProperty(globalThis, "__airlock_run", {
    value: function (src) {
      try {
        const next = scope(src + NEXT);
        if (typeof next === "function") scope = next;
        report(0);
      } catch (e) {
        if (e instanceof Error) {
          rawError("Uncaught " + e.name + ": " + e.message + (e.stack ? "\n" + e.stack.replace(/\n$/, "") : ""));
        } else {
          rawError("Uncaught " + fmt(e, 1, []));
        }
        report(1);
      }
    },
  });
})();
