const temp = {
  _c: 25,
  get f() { return this._c * 9 / 5 + 32; },
  set f(v) { this._c = (v - 32) * 5 / 9; },
};
temp.f = 212;
console.log(temp._c, temp.f);
const o = {};
Object.defineProperty(o, "hidden", { value: 1, enumerable: false });
Object.defineProperty(o, "ro", { value: 2, enumerable: true, writable: false });
o.ro = 3;
console.log(o, o.hidden, Object.getOwnPropertyDescriptor(o, "ro"));
