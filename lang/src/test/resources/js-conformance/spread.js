const arr = [1, 2, 3];
console.log(Math.max(...arr), [...arr, ...new Set([3, 4])], { ...{ a: 1 }, b: 2, ...null });
console.log([..."héllo"], String.fromCodePoint(...[0x1f600]).length);
function sum(...nums) { return nums.reduce((s, n) => s + n, 0); }
console.log(sum(...arr, 10));
