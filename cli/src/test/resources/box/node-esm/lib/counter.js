export let count = 0;
export const LIMIT = 10;
export function bump() {
  count += 1;
  return count;
}
export default class {
  constructor(start) {
    this.n = start;
  }
  next() {
    return this.n++;
  }
}
