class Range {
  constructor(a, b) { this.a = a; this.b = b; }
  [Symbol.iterator]() { let i = this.a; const b = this.b; return { next: () => (i < b ? { value: i++, done: false } : { value: undefined, done: true }) }; }
}
console.log([...new Range(1, 5)], Array.from(new Range(0, 3), (x) => x * 2));
const [first, ...others] = new Range(10, 14);
console.log(first, others);
const m = new Map(Object.entries({ a: 1, b: 2 }));
for (const [k, v] of m) console.log(k, v);
console.log([...m.entries()], [..."ab"].entries().next());
