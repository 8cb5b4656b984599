console.log({ l1: { l2: { l3: { l4: "deep" } } } });
console.log([[[[["deep array"]]]]]);
console.log({ a: [{ b: { c: {} } }] });
const obj = { name: "root", child: { name: "child" } };
obj.child.parent = obj; obj.list = [obj.child];
console.log(obj);
const arr = [1]; arr.push(arr); console.log(arr);
console.log(new Map([["self", null]]).set("m", new Map([["x", { y: { z: 1 } }]])));
