console.log([1, "two", [3, ["four"]]], { s: "it's", d: 'say "hi"', b: `both ' "`, n: "line\nbreak" });
console.log([undefined, null, NaN, -0, 0, 1n, true, Symbol("x"), Symbol()]);
console.log({ "key with space": 1, valid_id: 2, 3: "num", "kebab-case": 4, [Symbol("sym")]: 5 });
console.log([function named() {}, () => {}, async function af() {}, function* gen() {}, async () => {}, Math.max]);
class A {} class B extends A {} console.log([A, B, new B()]);
console.log([new Array(3), [1, , , 4], Object.create(null)]);
console.log({ get g() { return 1; }, set s(v) {}, get gs() { return 1; }, set gs(v) {} });
console.log(new Number(3), new String("str"), new Boolean(false), [/re/g, new Date(0)]);
console.log(Promise.resolve(42), new Promise(() => {}), Promise.reject(new Error("r")).catch(() => {}) && 1);
