function* fib() { let [a, b] = [0, 1]; for (;;) { yield a; [a, b] = [b, a + b]; } }
const out = [];
for (const x of fib()) { if (x > 100) break; out.push(x); }
console.log(out.join(","));
function* inner() { const x = yield 1; console.log("got", x); yield x * 2; return "done"; }
const g = inner();
console.log(g.next(), g.next(21), g.next(), g.next());
function* deleg() { yield* [1, 2]; const r = yield* inner(); yield r; }
console.log([...deleg()]);
