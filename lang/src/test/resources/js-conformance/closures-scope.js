const fns = [];
for (let i = 0; i < 3; i++) fns.push(() => i);
console.log(fns.map((f) => f()));
var v = []; for (var j = 0; j < 3; j++) v.push(() => j); console.log(v.map((f) => f()));
function counter() { let n = 0; return { inc: () => ++n, get: () => n }; }
const c = counter(); c.inc(); c.inc(); console.log(c.get());
console.log(typeof hoisted, hoisted()); function hoisted() { return "hoisted"; }
try { tdz; let tdz = 1; } catch (e) { console.log(e.name); }
