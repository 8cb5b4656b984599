const orig = { n: 1, d: new Date(0), m: new Map([["k", [1, 2]]]), s: new Set(["x"]), r: /ab+c/gi, t: new Uint8Array([1, 2]) };
orig.self = orig;
const c = structuredClone(orig);
console.log(c !== orig, c.self === c, c.d instanceof Date, c.d.getTime(), c.m.get("k"), c.s.has("x"), c.r.flags, c.t);
c.m.get("k").push(3);
console.log(orig.m.get("k").length, c.m.get("k").length);
try { structuredClone({ f() {} }); } catch (e) { console.log(e.name); }
console.log(structuredClone([1, , 3]).length, structuredClone(null), structuredClone("s"));
