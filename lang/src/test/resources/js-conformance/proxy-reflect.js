const log = [];
const target = { a: 1 };
const p = new Proxy(target, {
  get(t, k, r) { log.push(`get ${String(k)}`); return Reflect.get(t, k, r) ?? `missing ${String(k)}`; },
  set(t, k, v) { log.push(`set ${k}`); return Reflect.set(t, k, v * 2); },
  has(t, k) { return k.startsWith("a"); },
  deleteProperty(t, k) { log.push(`delete ${k}`); return Reflect.deleteProperty(t, k); },
});
p.b = 5;
console.log(p.a, p.b, p.zz, "abc" in p, "x" in p);
delete p.a;
console.log(log.join("; "));
console.log(Reflect.ownKeys({ x: 1, [Symbol("y")]: 2 }), Reflect.has({ q: 1 }, "q"));
console.log(Reflect.apply(Math.max, null, [1, 5, 3]), Reflect.construct(Date, [0]).getTime());
