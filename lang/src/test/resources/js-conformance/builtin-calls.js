// Calls of built-in functions from JavaScript code: QuickJS calls a C function directly from its
// interpreter loop (runtimes/quickjs/patches/04-c-calls.patch), so these must behave as any other
// call: receivers, missing and extra arguments, errors thrown and caught, tail calls, functions
// that are not plain built-ins (bound, closures over native data, proxies, classes) and non-functions.
const out = [];
const show = (name, f) => {
  try { out.push(name + " = " + String(f())); } catch (e) { out.push(name + " threw " + e.constructor.name); }
};
show("Math.max no args", () => Math.max());
show("Math.max extra args", () => Math.max(1, 5, 3, 2, 4, 9, 0));
show("Math.sqrt missing", () => Math.sqrt());
show("Math.abs of string", () => Math.abs("-3"));
show("Math.hypot", () => Math.hypot(3, 4));
const arr = [3, 1, 2];
show("push with receiver", () => arr.push(7, 8));
show("array after push", () => arr.join(","));
show("pop", () => arr.pop());
show("call with other receiver", () => Array.prototype.join.call({ length: 2, 0: "a", 1: "b" }, "-"));
show("apply", () => Math.min.apply(null, [4, 2, 8]));
show("string method", () => "Hello".toUpperCase());
show("string method on number", () => String.prototype.toUpperCase.call(12));
show("wrong receiver", () => Map.prototype.get.call({}, 1));
show("null receiver", () => String.prototype.trim.call(null));
show("thrown by builtin", () => JSON.parse("{bad"));
show("caught then next", () => { try { JSON.parse("["); } catch (e) { return "caught " + e.name + ", next " + JSON.parse("[1]").length; } });
show("not a function", () => { const o = {}; return o.missing(); });
show("number is not callable", () => { const n = 5; return n(); });
const bound = Math.pow.bind(null, 2);
show("bound builtin", () => bound(10));
show("Date without new", () => typeof Date());
show("Symbol description", () => Symbol("s").description);
show("constructor without new", () => Map());
show("BigInt call", () => String(BigInt(12345678901234567890)));
show("parseInt radix", () => parseInt("ff", 16));
show("getter builtin", () => new Map([[1, 2]]).size);
let resolveLater;
const p = new Promise((r) => { resolveLater = r; });
show("promise resolver", () => typeof resolveLater);
p.then((v) => console.log("promise settled " + v));
resolveLater(42);
const prox = new Proxy(Math.max, { apply(t, self, args) { return "proxied " + t(...args); } });
show("proxy of builtin", () => prox(1, 9));
function tail(x) { return Math.floor(x); }
show("tail call of builtin", () => tail(7.9));
function tailMethod(s) { return s.repeat(3); }
show("tail method call", () => tailMethod("ab"));
show("spread into builtin", () => Math.max(...[1, 4, 2]));
show("optional call", () => { const o = { f: null }; return String(o.f?.()) + " " + Math.round?.(2.5); });
let calls = 0;
const gen = (function* () { while (true) { calls++; yield calls; } })();
show("generator next", () => gen.next().value + gen.next().value);
show("Reflect.apply", () => Reflect.apply(String.fromCharCode, null, [72, 105]));
let total = 0;
for (let i = 0; i < 100000; i++) total += Math.abs(i % 7 - 3) + Math.sqrt(4);
show("loop of builtin calls", () => total);
show("stack depth through builtins", () => {
  let depth = 0;
  const f = () => { depth++; [0].forEach(f); };
  try { f(); } catch (e) { return e.constructor.name + (depth > 100 ? " after many" : " early"); }
});
class Sub extends Array {}
show("class extending builtin", () => { const s = new Sub(); s.push(1, 2); return s.length + " " + (s instanceof Sub); });
console.log(out.join("\n"));
