// One kind of operation in a loop (bench/README, session 51): a multiplication by a fraction, added to a closure variable.
// The loop runs in a function called many times, as QuickJS runs real programs.
// Checks its result (the one Node and qjs print) and prints ms=.
(function(){
  
  const N = 10000000;
  let s = 0;
  function work(M) {
    for (let i = 0; i < M; i++) { s += i * 0.5; }
  }
  const t0 = Date.now();
  for (let r = 0; r < N / 10000; r++) work(10000);
  const t1 = Date.now();
  if (String(s) !== "24997500000") throw new Error("wrong result: " + s);
  console.log("r=" + s + " ms=" + (t1 - t0));
})();
