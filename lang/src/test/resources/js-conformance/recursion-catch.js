let depth = 0;
function down() { depth++; down(); }
try { down(); } catch (e) { console.log(e instanceof RangeError, e.message, depth > 1000); }
const nested = []; let cur = nested; for (let i = 0; i < 100000; i++) { const n = []; cur.push(n); cur = n; }
try { JSON.stringify(nested); console.log("stringified"); } catch (e) { console.log(e.name, e.message); }
console.log("still running");
