console.log("1 sync");
setTimeout(() => console.log("6 timeout"), 0);
Promise.resolve().then(() => console.log("3 then")).then(() => console.log("5 then-then"));
queueMicrotask(() => console.log("4 microtask"));
(async () => { console.log("2 async body"); await null; console.log("4b after await"); })();
new Promise((res) => { console.log("2b executor"); res(); }).then(() => console.log("4c executor then"));
setTimeout(() => Promise.resolve().then(() => console.log("7 micro in timer")), 0);
setTimeout(() => console.log("8 second timer"), 0);
