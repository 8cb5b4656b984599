// Arithmetic and comparisons on every pair of a set of values: integers, fractions, -0, NaN, the
// infinities, the edges of 32-bit integers, and values that are not numbers. QuickJS computes two
// numbers of which one is not an integer without its generic slow path
// (runtimes/quickjs/patches/05-number-paths.patch); everything else must take that path as before.
// Each line: the operator, the left value's index, then the result for every right value.
(function () {
  const vals = [0, -0, 1, -1, 2, 7, 2147483647, -2147483648, 2147483648, 0.5, -0.5, 1.5 * 2, 0.1 + 0.2, 1e308, -1e308, 5e-324, Infinity, -Infinity, NaN, 1 / 3, 9007199254740993, -7.25, 46341, 65536, '3', '', null, undefined, true, false, 10n, [2], ({ valueOf() { return 4.5; } })];
  const fmt = (x) => typeof x === "number" && x === 0 && 1 / x < 0 ? "-0" : typeof x === "bigint" ? x + "n" : String(x);
  const out = [];
  const row = (name, i, f) => {
    const r = [];
    for (let j = 0; j < vals.length; j++) { try { r.push(fmt(f(vals[i], vals[j]))); } catch (e) { r.push(e.constructor.name); } }
    out.push(name + " " + i + ": " + r.join(" "));
  };
  for (let i = 0; i < vals.length; i++) row("+", i, (a, b) => a + b);
  for (let i = 0; i < vals.length; i++) row("-", i, (a, b) => a - b);
  for (let i = 0; i < vals.length; i++) row("*", i, (a, b) => a * b);
  for (let i = 0; i < vals.length; i++) row("/", i, (a, b) => a / b);
  for (let i = 0; i < vals.length; i++) row("<", i, (a, b) => a < b);
  for (let i = 0; i < vals.length; i++) row("<=", i, (a, b) => a <= b);
  for (let i = 0; i < vals.length; i++) row(">", i, (a, b) => a > b);
  for (let i = 0; i < vals.length; i++) row(">=", i, (a, b) => a >= b);
  for (let i = 0; i < vals.length; i++) row("==", i, (a, b) => a == b);
  for (let i = 0; i < vals.length; i++) row("!=", i, (a, b) => a != b);
  for (let i = 0; i < vals.length; i++) row("===", i, (a, b) => a === b);
  for (let i = 0; i < vals.length; i++) row("!==", i, (a, b) => a !== b);
  for (let i = 0; i < vals.length; i++) row("+=", i, (a, b) => { let x = a; x += b; return x; });
  // loops whose counters and sums mix integers and fractions
  let s = 0, t = 1, c = 0;
  for (let i = 0; i < 1000; i++) {
    s += i * 0.5; t = t * 1.001 - i / 7;
    if (s > t) c++;
    if (i / 2 === (i >> 1)) c += 2;
    if (s <= i) c--;
  }
  out.push("loop " + fmt(s) + " " + fmt(t) + " " + c);
  console.log(out.join("\n"));
})();
