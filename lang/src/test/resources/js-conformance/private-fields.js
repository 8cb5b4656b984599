class Counter {
  #count = 0;
  static #instances = 0;
  constructor() { Counter.#instances++; }
  inc() { return ++this.#count; }
  #secret() { return "hidden"; }
  reveal() { return this.#secret(); }
  static get instances() { return Counter.#instances; }
  static has(o) { return #count in o; }
}
const c = new Counter();
c.inc(); c.inc();
console.log(c.inc(), c.reveal(), Counter.instances, Counter.has(c), Counter.has({}));
