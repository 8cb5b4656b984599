function thrower() { throw new RangeError("out of range"); }
try { thrower(); } catch (e) { console.log(e.name, "|", e.message, "|", String(e)); }
const e = new TypeError("typed");
console.log(e.toString(), Object.prototype.toString.call(e), e instanceof TypeError);
console.log({ err: "not error" }, [String(new Error("in array"))]);
console.error("to stderr");
console.warn("also stderr");
console.info("info goes to stdout");
console.debug("debug too");
