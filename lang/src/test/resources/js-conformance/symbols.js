const s = Symbol("desc");
const o = { [s]: 1, regular: 2, [Symbol.for("reg")]: 3 };
console.log(o, s.description, Symbol.for("reg") === Symbol.for("reg"), Symbol.keyFor(Symbol.for("reg")));
class Temp { constructor(c) { this.c = c; } [Symbol.toPrimitive](hint) { return hint === "string" ? `${this.c}C` : this.c; } }
const t = new Temp(20);
console.log(`${t}`, t + 1, Object.getOwnPropertySymbols(o).length);
const iterable = { *[Symbol.iterator]() { yield "a"; yield "b"; } };
console.log([...iterable], Symbol.iterator.toString());
