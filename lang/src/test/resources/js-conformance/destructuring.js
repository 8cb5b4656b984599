const { a, b: { c = 3, ...restB } = {}, ...rest } = { a: 1, b: { d: 4, e: 5 }, f: 6, g: 7 };
console.log(a, c, restB, rest);
const [x, , y = 10, ...zs] = [1, 2, undefined, 4, 5];
console.log(x, y, zs);
function f({ name = "anon", tags: [first, ...others] = [] } = {}) { return `${name}:${first}:${others.length}`; }
console.log(f(), f({ name: "n", tags: ["t1", "t2", "t3"] }));
let p = 1, q = 2; [p, q] = [q, p]; console.log(p, q);
