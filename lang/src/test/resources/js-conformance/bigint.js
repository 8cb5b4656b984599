const big = 2n ** 100n;
console.log(big, big.toString(16), typeof big);
console.log(BigInt(Number.MAX_SAFE_INTEGER) + 2n, -7n / 2n, -7n % 2n);
console.log(BigInt.asUintN(8, 257n), BigInt.asIntN(8, 255n), 10n > 9, 10n == 10);
let f = 1n; for (let i = 1n; i <= 25n; i++) f *= i; console.log(f);
try { 1n + 1; } catch (e) { console.log(e.constructor.name); }
