const people = [{ n: "bob", a: 30 }, { n: "al", a: 25 }, { n: "cy", a: 30 }, { n: "di", a: 25 }];
console.log(people.sort((x, y) => x.a - y.a).map((p) => p.n).join(","));
console.log([10, 9, 1, 100].sort(), [10, 9, 1, 100].sort((a, b) => a - b));
console.log(["b", "a", "C"].sort());
console.log([3, 1, 2].reverse(), [1, 2, 3, 4].filter((x) => x & 1).map((x) => x * x));
