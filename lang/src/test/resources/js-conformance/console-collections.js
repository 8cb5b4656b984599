console.log(new Map([["a", { x: 1 }], [{ k: 1 }, [1, 2]]]));
console.log(new Set([[1, 2], { a: 1 }, "s"]), new Set(), new Map());
console.log(new Uint8Array([1, 2, 3]), new Float64Array([1.5, -0]), new Int32Array(0), new BigInt64Array([5n]));
console.log(new ArrayBuffer(4), new Uint8Array(200).length);
console.log(new WeakMap(), new WeakSet());
console.log([new Map([[1, new Set([2])]])]);
console.log(Array.from({ length: 12 }, (_, i) => i * 3).reduce((m, v) => m.set("k" + v, v), new Map()));
