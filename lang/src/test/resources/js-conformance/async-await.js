const sleep = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
async function main() {
  const a = await sleep(20, "a");
  const [b, c] = await Promise.all([sleep(10, "b"), sleep(5, "c")]);
  console.log(a, b, c);
  try { await Promise.reject(new Error("nope")); } catch (e) { console.log("caught", e.message); }
  const r = await Promise.allSettled([sleep(1, 1), Promise.reject(2)]);
  console.log(r);
  console.log(await Promise.any([Promise.reject(1), sleep(3, "any")]), await Promise.race([sleep(60, "slow"), sleep(2, "fast")]));
  return "end";
}
main().then(console.log);
console.log("sync first");
