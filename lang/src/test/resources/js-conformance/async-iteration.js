async function* ticks(n) { for (let i = 0; i < n; i++) { await null; yield i; } }
(async () => {
  const seen = [];
  for await (const t of ticks(4)) seen.push(t);
  console.log(seen);
  for await (const v of [Promise.resolve("x"), "y"]) console.log(v);
})();
