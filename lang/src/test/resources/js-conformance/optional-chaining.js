const o = { a: { b: { c: 1 } }, f() { return "called"; }, arr: [1, 2] };
console.log(o?.a?.b?.c, o.x?.y, o.f?.(), o.g?.(), o.arr?.[1], o.x?.[0]);
console.log(null ?? "default", 0 ?? "zero", "" ?? "empty", undefined ?? null);
let a = null; a ??= 5; let b = 0; b ||= 7; let c = 1; c &&= 9;
console.log(a, b, c);
