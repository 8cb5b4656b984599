console.log("%s is %d years and %i days, %f%%", "Bob", 42.5, 7.9, 1.5);
console.log("%j %o", { a: [1] }, [1, { b: 2 }]);
console.log("%O", { deep: { er: { est: { x: 1 } } } });
console.log("extra", "%s", "args", 5, { a: 1 });
console.log("%s", { a: { b: { c: 1 } } }, "%d", "%c styled", "ignored css");
console.log("no subst %x", 1);
console.log("%s %s", "only one");
console.log("%d", "abc", "%i", 3n);
