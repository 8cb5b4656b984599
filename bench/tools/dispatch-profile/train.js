// A training workload for the dispatch profile of airlock-js.wasm: the kinds of code agents run
// (collections, strings, JSON, classes, closures, errors, regular expressions), not the
// benchmarks the profile is measured on.
"use strict";
function words(n) {
  const syll = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "xe", "zu", "pi"];
  const out = [];
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const k = 1 + (seed % 3);
    let w = "";
    for (let j = 0; j < k; j++) w += syll[(seed >> (j * 4)) % syll.length];
    out.push(w);
  }
  return out;
}
class Account {
  constructor(id, owner) { this.id = id; this.owner = owner; this.entries = []; }
  deposit(amount, memo) {
    if (!(amount > 0)) throw new RangeError("bad amount " + amount);
    this.entries.push({ amount, memo, kind: "in" });
  }
  withdraw(amount, memo) {
    if (amount > this.balance) throw new Error(`insufficient funds in ${this.id}`);
    this.entries.push({ amount: -amount, memo, kind: "out" });
  }
  get balance() { return this.entries.reduce((s, e) => s + e.amount, 0); }
  toJSON() { return { id: this.id, owner: this.owner, balance: this.balance, n: this.entries.length }; }
}
function ledger(ws) {
  const accounts = new Map();
  let errors = 0;
  ws.forEach((w, i) => {
    const key = w.slice(0, 2);
    if (!accounts.has(key)) accounts.set(key, new Account(key, w.toUpperCase()));
    const a = accounts.get(key);
    try {
      if (i % 3 === 0) a.withdraw(w.length * 7, "w" + i); else a.deposit(w.length * 5, `d${i}`);
    } catch (e) {
      errors += e instanceof Error ? 1 : 0;
    }
  });
  const rows = [...accounts.values()].map((a) => a.toJSON()).sort((x, y) => y.balance - x.balance || (x.id < y.id ? -1 : 1));
  return { rows, errors };
}
function textStats(ws) {
  const text = ws.join(" ");
  const counts = {};
  for (const m of text.matchAll(/\b([a-z]{2})([a-z]*)\b/g)) counts[m[1]] = (counts[m[1]] || 0) + 1;
  const top = Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 5);
  const caps = text.replace(/\b\w/g, (c) => c.toUpperCase()).split(" ").filter((w) => w.length > 4);
  const set = new Set(ws);
  return { top, caps: caps.length, unique: set.size, padded: String(set.size).padStart(8, "0") };
}
function* fib() { let [a, b] = [0, 1]; for (;;) { yield a; [a, b] = [b, a + b]; } }
function numbers() {
  const xs = [];
  for (const f of fib()) { if (f > 1e12) break; xs.push(f); }
  const arr = new Float64Array(1000);
  for (let i = 0; i < arr.length; i++) arr[i] = Math.sin(i) * Math.sqrt(i + 1);
  let acc = 0;
  for (let i = 0; i < arr.length; i++) acc += arr[i] > 0 ? arr[i] : -arr[i] / 2;
  const grid = Array.from({ length: 30 }, (_, i) => Array.from({ length: 30 }, (_, j) => (i * j) % 7));
  const flat = grid.flat().filter((v) => v !== 0);
  return { fibs: xs.length, acc: Math.round(acc), sum: flat.reduce((a, b) => a + b, 0), max: Math.max(...flat) };
}
function roundTrip(obj, times) {
  let s = "";
  for (let i = 0; i < times; i++) { s = JSON.stringify(obj); obj = JSON.parse(s); obj.round = i; }
  return s.length;
}
const ws = words(4000);
let check = 0;
for (let round = 0; round < 6; round++) {
  const l = ledger(ws);
  const t = textStats(ws);
  const n = numbers();
  const j = roundTrip({ l, t, n, tags: ws.slice(0, 50) }, 5);
  check += l.rows.length + l.errors + t.unique + n.fibs + j;
  const closures = ws.slice(0, 300).map((w, i) => () => w.charCodeAt(0) + i);
  check += closures.reduce((s, f) => s + f(), 0) % 1000;
}
console.log("train.js ok", check);
