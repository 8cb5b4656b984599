const data = { name: "x", list: [1, "two", null, true], nested: { d: new Date(0), u: undefined, f() {} } };
console.log(JSON.stringify(data));
console.log(JSON.stringify(data, ["name", "list"]));
console.log(JSON.stringify([new Map(), new Set([1]), NaN, -0, Infinity]));
console.log(JSON.stringify({ toJSON() { return { custom: true }; } }), JSON.stringify("é\u2028\n"));
console.log(JSON.stringify({ a: [1, { b: 2 }] }, null, "\t"));
try { JSON.stringify({ n: 1n }); } catch (e) { console.log(e.name); }
