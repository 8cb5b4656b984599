export function sum(...xs) {
  return xs.reduce((a, b) => a + b, 0);
}
export const product = (...xs) => xs.reduce((a, b) => a * b, 1),
  unit = 1;
export let { pi, e: euler } = { pi: 3.14, e: 2.72 };
export * from "./more.js";
