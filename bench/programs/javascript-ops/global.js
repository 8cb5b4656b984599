// One kind of operation in a loop (bench/README, session 51): a global's field (Math.PI).
// The loop runs in a function called many times, as QuickJS runs real programs.
// Checks its result (the one Node and qjs print) and prints ms=.
(function(){
  
  const N = 5000000;
  let s = 0;
  function work(M) {
    for (let i = 0; i < M; i++) { s += Math.PI; }
  }
  const t0 = Date.now();
  for (let r = 0; r < N / 10000; r++) work(10000);
  const t1 = Date.now();
  if (String(s) !== "15707963.267457949") throw new Error("wrong result: " + s);
  console.log("r=" + s + " ms=" + (t1 - t0));
})();
