console.log("abc".padStart(6, "-"), "abc".padEnd(5, "."), "  trim  ".trimEnd() + "|");
console.log("hello".at(-1), "a,b,c".split(","));
console.log("ß".toUpperCase(), "İ".toLowerCase().length, "abc".repeat(2), "x".codePointAt(0));
console.log("😀".length, [..."😀"].length, "abc".isWellFormed(), "\uD800".toWellFormed().charCodeAt(0));
console.log(encodeURIComponent("a b&c/é"), decodeURIComponent("%E2%9C%93"), escape === undefined);
