const a = [5, 1, 4, 2, 3];
console.log(a.at(-1), a.findLast((x) => x % 2 === 0), a.findLastIndex((x) => x > 10));
console.log(a.toSorted(), a.toReversed(), a.with(0, 99), a.toSpliced(1, 2, "x"), a);
console.log([1, [2, [3, [4]]]].flat(Infinity), [1, 2].flatMap((x) => [x, x * 10]));
console.log(Array.from({ length: 3 }, (_, i) => i * i), Array.of(7, 8), [1, 2, 3].includes(2));
