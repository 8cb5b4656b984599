// Strings and JSON: builds 300 records with string concatenation, template literals, split/join,
// replace and a regular expression, then JSON.stringify / JSON.parse round trips (20 of them).
// Self-checking: every round trip equals the first encoding, and a checksum; prints ms=<compute ms>.
(function () {
  const RECORDS = 300, ROUNDS = 20;
  function records() {
    let x = 7;
    const out = [];
    for (let i = 0; i < RECORDS; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const words = [];
      for (let k = 0; k < 8; k++) words.push("w" + ((x >> k) % 97));
      const text = words.join(" ").replace(/w(\d)/g, "W$1").toUpperCase();
      out.push({
        id: i, name: `record-${i}-\u00e9\u4e2d`, score: (x % 100000) / 8, active: x % 3 === 0,
        text, parts: text.split(" ").reverse(), nested: { a: [x % 10, x % 100, null], b: { c: "quote \" and \\ slash" } },
      });
    }
    return { version: 1, records: out };
  }
  function run() {
    const doc = records();
    const first = JSON.stringify(doc);
    let sum = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const s = JSON.stringify(JSON.parse(r % 2 ? JSON.stringify(doc, null, 2) : first));
      if (s !== first) throw new Error("round trip " + r + " differs");
      sum += s.length;
      for (let i = 0; i < s.length; i += 97) sum = (sum * 31 + s.charCodeAt(i)) % 1000000007;
    }
    return sum;
  }
  const t0 = Date.now();
  const result = run();
  const ms = Date.now() - t0;
  if (result !== 645101108) throw new Error("wrong result: " + result);
  console.log("ms=" + ms);
})();
