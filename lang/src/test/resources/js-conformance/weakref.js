let obj = { big: true };
const ref = new WeakRef(obj);
console.log(ref.deref() === obj, typeof FinalizationRegistry);
const reg = new FinalizationRegistry(() => {});
reg.register(obj, "token");
console.log(reg.unregister({}) === false, Object.prototype.toString.call(ref));
