const a = crypto.getRandomValues(new Uint8Array(16));
console.log(a.length, a instanceof Uint8Array);
const uuid = crypto.randomUUID();
console.log(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(uuid));
const r = Math.random(); console.log(r >= 0 && r < 1);
try { crypto.getRandomValues(new Float64Array(2)); } catch (e) { console.log(e.name); }
const t = performance.now(); console.log(typeof t, t >= 0);
