console.log(Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i).repeat(i % 4 + 1)));
console.log(Array.from({ length: 120 }, (_, i) => i));
console.log({ alpha: "aaaaaaaaaaaaaaa", beta: "bbbbbbbbbbbbbbbbb", gamma: "ggggggggggggggggg", delta: 1 });
console.log({ short: 1, arr: [1, 2, 3], obj: { x: 1, y: 2 } });
console.log(["a fairly long string number one", "another fairly long string", "and a third one here"]);
console.log(Array.from({ length: 10 }, (_, i) => ({ id: i })));
console.log(Array.from({ length: 8 }, (_, i) => i * 1000.5));
console.log([true, false, true, false, true, false, true, false, true, false, true]);
