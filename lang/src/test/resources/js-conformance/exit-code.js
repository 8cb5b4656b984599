console.log("before");
process.exitCode = 3;
console.log("after", process.exitCode);
