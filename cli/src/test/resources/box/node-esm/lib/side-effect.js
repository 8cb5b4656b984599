globalThis.sideEffectRan = true;
console.log("side effect ran");
