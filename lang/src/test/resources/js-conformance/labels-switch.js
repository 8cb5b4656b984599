outer: for (let i = 0; i < 3; i++) {
  for (let j = 0; j < 3; j++) {
    if (j === 1) continue outer;
    if (i === 2) break outer;
    console.log(i, j);
  }
}
function kind(x) {
  switch (typeof x) {
    case "number": return x > 0 ? "positive" : "non-positive";
    case "string":
    case "symbol": return "texty";
    default: return "other";
  }
}
console.log(kind(3), kind(-1), kind("s"), kind(Symbol()), kind(null));
let k = 0; do { k++; } while (k < 5); console.log(k);
