// fannkuch-redux (after the Computer Language Benchmarks Game), N = 8.
// Self-checking: checksum and maximum flips; prints ms=<compute ms>.
(function () {
  const N = 8;
  function fannkuch(n) {
    const perm1 = [], count = new Array(n).fill(0), perm = new Array(n).fill(0);
    for (let i = 0; i < n; i++) perm1.push(i);
    let maxFlips = 0, checksum = 0, r = n, nperm = 0;
    for (;;) {
      while (r !== 1) { count[r - 1] = r; r--; }
      for (let i = 0; i < n; i++) perm[i] = perm1[i];
      let flips = 0, k;
      while ((k = perm[0]) !== 0) {
        for (let i = 0, j = k; i < j; i++, j--) { const t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
        flips++;
      }
      if (flips > maxFlips) maxFlips = flips;
      checksum += nperm % 2 === 0 ? flips : -flips;
      for (;;) {
        if (r === n) return checksum + " " + maxFlips;
        const p0 = perm1[0];
        for (let i = 0; i < r; i++) perm1[i] = perm1[i + 1];
        perm1[r] = p0;
        count[r]--;
        if (count[r] > 0) break;
        r++;
      }
      nperm++;
    }
  }
  const t0 = Date.now();
  const result = fannkuch(N);
  const ms = Date.now() - t0;
  if (result !== "1616 22") throw new Error("wrong result: " + result);
  console.log("ms=" + ms);
})();
