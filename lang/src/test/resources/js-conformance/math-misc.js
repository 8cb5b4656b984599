console.log(Math.round(2.5), Math.round(-2.5), Math.max(), Math.min(), Math.abs(-5.5));
console.log(Math.floor(-1.5), Math.ceil(1.2), Math.log2(1024), Math.clz32(1), Math.fround(5.5));
console.log(Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, Number.MAX_VALUE);
console.log((25).toString(36), parseInt("z", 36), (0.000001234).toExponential(2), 1e-7);
console.log([0.1, 0.7, 1.005].map((x) => x.toFixed(2)), 100 / 7);
