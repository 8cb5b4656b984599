// One kind of operation in a loop (bench/README, session 51): a function summing its arguments object.
// The loop runs in a function called many times, as QuickJS runs real programs.
// Checks its result (the one Node and qjs print) and prints ms=.
(function(){
  function h() { let t = 0; for (let k = 0; k < arguments.length; k++) t += arguments[k]; return t; }
  const N = 1000000;
  let s = 0;
  function work(M) {
    for (let i = 0; i < M; i++) { s += h(1, 2, 3, 4); }
  }
  const t0 = Date.now();
  for (let r = 0; r < N / 10000; r++) work(10000);
  const t1 = Date.now();
  if (String(s) !== "10000000") throw new Error("wrong result: " + s);
  console.log("r=" + s + " ms=" + (t1 - t0));
})();
