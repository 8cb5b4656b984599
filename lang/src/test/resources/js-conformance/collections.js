const m = new Map([["a", 1], ["b", 2]]);
m.set({ k: 1 }, [1, 2]);
console.log(m, m.size, m.get("b"), [...m.keys()]);
const s = new Set([1, 2, 2, 3, "3"]);
console.log(s, s.has("3"), [...s].length);
const wm = new WeakMap(); const key = {}; wm.set(key, "v");
console.log(wm.get(key), wm.has({}), wm);
const ws = new WeakSet([key]); console.log(ws.has(key));
