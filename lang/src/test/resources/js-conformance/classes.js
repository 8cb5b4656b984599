class Animal {
  static count = 0;
  static { Animal.registry = []; }
  constructor(name) { this.name = name; Animal.count++; Animal.registry.push(name); }
  speak() { return `${this.name} makes a sound`; }
  get upper() { return this.name.toUpperCase(); }
  toString() { return `Animal(${this.name})`; }
}
class Dog extends Animal {
  speak() { return super.speak() + " (woof)"; }
}
const d = new Dog("rex");
console.log(d.speak(), d.upper, `${d}`, Animal.count, Animal.registry);
console.log(d instanceof Animal, Object.getPrototypeOf(Dog) === Animal, Dog.name, d);
console.log(Dog, Animal, class {});
