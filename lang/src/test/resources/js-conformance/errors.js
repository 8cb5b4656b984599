class ValidationError extends Error {
  constructor(msg, field) { super(msg); this.name = "ValidationError"; this.field = field; }
}
try { throw new ValidationError("bad input", "email"); }
catch (e) { console.log(e.name, e.message, e.field, e instanceof Error, String(e)); }
const e2 = new Error("outer", { cause: new Error("inner") });
console.log(e2.cause.message);
try { null.x; } catch (e) { console.log(e.constructor.name); }
try { undefinedVar; } catch (e) { console.log(e.name, e.message); }
try { JSON.parse("{bad"); } catch (e) { console.log(e.name); }
const agg = new AggregateError([new Error("a")], "many"); console.log(agg.errors.length, agg.message);
try { [].reduce((a, b) => a); } catch (e) { console.log(e.name); }
