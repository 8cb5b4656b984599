// Array element reads and writes (a[i], a[i] = v, a[i] += v) and length reads: QuickJS reads and writes an element
// of a plain array at an integer index below its length in place
// (runtimes/quickjs/patches/06-array-elements.patch); every other case must take the generic path.
const out = [];
const show = (name, f) => {
  try { out.push(name + " = " + JSON.stringify(f())); } catch (e) { out.push(name + " threw " + e.constructor.name); }
};
const a = [10, 20, 30];
show("in range", () => [a[0], a[1], a[2]]);
show("past the end", () => String(a[3]));
show("negative index", () => String(a[-1]));
show("fractional index", () => String(a[1.5]));
show("index as string", () => a["1"]);
show("index as float integer", () => a[1.5 * 2 - 2]);
show("huge index", () => String(a[4294967295]));
Array.prototype[7] = "from prototype";
show("hole read through prototype", () => [1, 2][7]);
delete Array.prototype[7];
const holes = [1, , 3];
show("hole", () => String(holes[1]));
const sparse = [];
sparse[100] = "far";
show("sparse", () => [sparse[100], String(sparse[5]), sparse.length]);
const frozen = Object.freeze([1, 2, 3]);
show("frozen write ignored", () => { frozen[0] = 99; return frozen[0]; });
show("frozen write strict", () => { "use strict"; return (() => { "use strict"; frozen[1] = 5; return frozen[1]; })(); });
const ro = [1, 2, 3];
Object.defineProperty(ro, 1, { value: 2, writable: false });
show("read-only element strict", () => (() => { "use strict"; ro[1] = 7; return ro[1]; })());
const acc = [1, 2, 3];
Object.defineProperty(acc, 0, { get() { return "getter"; }, set(v) { out.push("setter " + v); } });
show("accessor element", () => { acc[0] = 5; return acc[0]; });
const grow = [];
for (let i = 0; i < 5; i++) grow[i] = i * i;
show("append by index", () => grow);
show("write past the end", () => { const g = [1]; g[3] = 4; return [g.length, String(g[2])]; });
const shrink = [1, 2, 3, 4];
shrink.length = 2;
show("after length cut", () => [String(shrink[2]), shrink.length]);
shrink.length = 6;
show("after length growth", () => [String(shrink[4]), shrink.length]);
const objs = [{ n: 1 }, { n: 2 }];
for (let i = 0; i < 1000; i++) objs[i % 2] = { n: i };
show("objects replaced", () => objs.map((o) => o.n));
const counts = [0, 0, 0];
for (let i = 0; i < 30; i++) counts[i % 3] += i;
show("compound assignment", () => counts);
const fs = [(x) => x + 1, (x) => x * 2];
show("call of element", () => [fs[0](5), fs[1](5)]);
show("element of temporary", () => [5, 6, 7][2]);
const ta = new Int16Array([1, -2, 3]);
show("typed array", () => { ta[1] = 40000; return Array.from(ta); });
show("arguments", function () { arguments[0] = "changed"; return [arguments[0], arguments[1]]; }.bind(null, "x", "y"));
show("string index", () => "abc"[1] + String("abc"[5]));
const obj = { 0: "zero", 1: "one" };
show("object with index keys", () => { obj[2] = "two"; return [obj[0], obj[2]]; });
const proxy = new Proxy([1, 2], { get(t, k) { return k === "length" ? t.length : "p" + t[k]; }, set(t, k, v) { t[k] = v * 10; return true; } });
show("proxy of array", () => { proxy[0] = 3; return [proxy[0], proxy[1]]; });
class MyArray extends Array {}
const mine = MyArray.from([1, 2, 3]);
show("subclass of array", () => { mine[1] = 9; return [mine[0], mine[1], mine instanceof MyArray]; });
show("null base", () => null[0]);
show("undefined base", () => { let u; return u[0]; });
show("number base", () => String((5)[0]));
const big = new Array(1000).fill(0);
for (let i = 0; i < 1000; i++) big[i] = big[(i + 999) % 1000] + 1;
show("chain of reads and writes", () => [big[0], big[999]]);
const nested = [[1, 2], [3, 4]];
show("nested", () => { nested[1][0] += nested[0][1]; return nested; });
// .length reads: an own data property of arrays (and of functions), read in place
// (runtimes/quickjs/patches/07-length-reads.patch); strings, typed arrays, proxies and getters not
show("lengths", () => {
  const g = [1, 2, 3];
  g.push(4);
  const after = [g.length];
  g.length = 1;
  after.push(g.length);
  g[9] = 0;
  after.push(g.length, [].length, "héllo".length, new Int8Array(5).length, ((a, b) => 0).length);
  after.push((function () { return arguments.length; })(1, 2, 3), { length: "own" }.length);
  after.push(Object.create({ get length() { return "inherited getter"; } }).length, { get length() { return "own getter"; } }.length);
  after.push(new Proxy([1, 2], { get: (t, k) => (k === "length" ? "proxied" : t[k]) }).length);
  let total = 0;
  for (let i = 0; i < g.length; i++) total += i;
  return after.concat(total);
});
show("length of null", () => null.length);
console.log(out.join("\n"));
