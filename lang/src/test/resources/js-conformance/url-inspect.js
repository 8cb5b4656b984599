const u = new URL("https://a.example/p/q?x=1&y=2#h");
console.log(u);
console.log(Object.keys(u), JSON.stringify({ u }));
console.log(u.searchParams, new URLSearchParams(), [new URL("http://h.com/")].length);
class Money { constructor(v) { this.v = v; } [Symbol.for("nodejs.util.inspect.custom")]() { return `Money<${this.v}>`; } }
console.log(new Money(5), [new Money(1)], { m: new Money(2) });
