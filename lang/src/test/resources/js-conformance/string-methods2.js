const s = "The quick brown fox";
console.log(s.split(" ").map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase()).join(" "));
console.log(s.startsWith("The"), s.endsWith("fox"), s.indexOf("q"), s.lastIndexOf("o"), s.search(/b/));
console.log(s.substring(4, 9), s.slice(-3), s.substr(4, 5), s.charAt(0), s.concat("!", "?"));
console.log("a-b-c".split("-", 2), " x ".trim().length, "abc" < "abd");
console.log("%s", "percent: 50%", "10%");
