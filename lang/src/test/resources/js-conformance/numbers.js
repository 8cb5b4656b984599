console.log(0.1 + 0.2, (0.1 + 0.2).toFixed(2), 1e21, 1 / 3, -0, [-0], 2 ** 53 + 1);
console.log(Number.isInteger(5.0), Number.parseFloat("3.14abc"), (255).toString(2), (1234.5678).toPrecision(6));
console.log(Number.EPSILON > 0, Math.trunc(-4.7), Math.sign(-3), Math.hypot(3, 4), Math.cbrt(27));
console.log(1_000_000, 0x1f, 0o17, 0b101, NaN, Infinity, -Infinity, 5e-7, 123456789012345680000);
console.log((1234567.891).toLocaleString === undefined, Number("  42 "), Number(""), parseInt("08"));
