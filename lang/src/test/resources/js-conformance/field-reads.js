// Property reads (obj.name): own data properties, which QuickJS now reads without its generic lookup
// (runtimes/quickjs/patches/03-own-field-reads.patch), beside every kind of property that must still
// take the generic path: inherited, accessors, lazily created built-ins, proxies, primitives.
const out = [];
const show = (name, f) => {
  try { out.push(name + " = " + String(f())); } catch (e) { out.push(name + " threw " + e.constructor.name); }
};
const base = { inherited: "from proto", get viaGetter() { return "getter:" + this.own; } };
const o = Object.create(base);
o.own = 1;
show("own", () => o.own);
show("inherited", () => o.inherited);
show("getter on proto", () => o.viaGetter);
o.inherited = "shadowed";
show("shadowing own", () => o.inherited);
delete o.inherited;
show("after delete", () => o.inherited);
show("missing", () => o.nothing);
Object.defineProperty(o, "hidden", { value: 42, enumerable: false });
show("non-enumerable", () => o.hidden);
Object.defineProperty(o, "acc", { get() { return this.own + 1; }, configurable: true });
show("own getter", () => o.acc);
Object.defineProperty(o, "acc", { value: "now data" });
show("getter replaced by data", () => o.acc);
const frozen = Object.freeze({ f: "frozen" });
show("frozen", () => frozen.f);
const arr = [1, 2, 3];
arr.extra = "named";
show("array named", () => arr.extra);
show("array method", () => typeof arr.push);
function fn(a, b) { return arguments.length; }
show("function name", () => fn.name);
show("function length", () => fn.length);
show("arguments length", () => fn(1, 2, 3));
show("string method", () => typeof "abc".toUpperCase);
show("string missing", () => "abc".foo);
show("number method", () => (5).toFixed(2));
show("null", () => null.x);
show("undefined", () => undefined.x);
show("global lazy", () => typeof globalThis.JSON.stringify);
const p = new Proxy({ t: 1 }, { get(target, k) { return "trap:" + String(k); } });
show("proxy", () => p.t);
class A { static s = "static"; #priv = 7; x = 3; get priv() { return this.#priv; } }
const a = new A();
show("class field", () => a.x);
show("class getter", () => a.priv);
show("static field", () => A.s);
const m = new Map([[1, 2]]);
show("map size", () => m.size);
const many = {};
for (let i = 0; i < 40; i++) many["k" + i] = i;
show("big shape", () => many.k39 + many.k0);
delete many.k10;
show("big shape after delete", () => String(many.k10) + many.k11);
const d = Object.create(null);
d.x = "no proto";
show("null prototype", () => d.x + String(d.toString));
let sum = 0;
const pts = [];
for (let i = 0; i < 100; i++) pts.push(i % 2 ? { x: i, y: 1 } : { y: 2, x: i });
for (const q of pts) sum += q.x * q.y;
show("shapes in a loop", () => sum);
const sym = Symbol("s");
const withSym = { [sym]: "sym" };
show("symbol-keyed", () => withSym[sym]);
const err = new Error("boom");
show("error message", () => err.message);
show("regexp lastIndex", () => /a/g.lastIndex);
show("date method", () => typeof new Date(0).getTime);
out.forEach((l) => console.log(l));
