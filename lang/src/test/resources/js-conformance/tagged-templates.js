function tag(strings, ...values) { return strings.raw.map((s, i) => s + (i < values.length ? `[${values[i]}]` : "")).join(""); }
const x = 1, y = "two";
console.log(tag`a${x}b${y}c\n`);
console.log(String.raw`C:\path\${x}`);
console.log(`multi
line ${x + 1}`);
