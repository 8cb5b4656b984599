class Point {
  constructor(x, y) { this.x = x; this.y = y; }
  get len() { return Math.hypot(this.x, this.y); }
}
class Point3 extends Point { constructor(x, y, z) { super(x, y); this.z = z; } }
console.log(new Point(3, 4), new Point(3, 4).len, new Point3(1, 2, 3));
console.log([new Point(0, 0)], { p: new Point3(1, 1, 1) });
const nul = Object.create(null); nul.k = "v"; console.log(nul);
class Empty {} console.log(new Empty(), [new Empty()]);
