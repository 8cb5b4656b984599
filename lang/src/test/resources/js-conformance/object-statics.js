const o = { b: 2, a: 1 };
console.log(Object.entries(o), Object.fromEntries([["x", 1], ["y", 2]]), Object.keys(o));
const frozen = Object.freeze({ z: 1 });
console.log(Object.isFrozen(frozen), Object.hasOwn(o, "a"), Object.getOwnPropertyNames(o));
const target = Object.assign({}, o, { c: 3 });
console.log(target, JSON.stringify(target), JSON.stringify({ n: [1, { d: 2 }] }, null, 2));
console.log(JSON.parse('{"x":[1,2,{"y":null}]}', (k, v) => (typeof v === "number" ? v * 10 : v)));
