// Node's process, timers, timers/promises, tty, perf_hooks and console modules, and the order in
// which timers, immediates, promise jobs and nextTick callbacks run.
const proc = require("process");
const timers = require("node:timers");
const { setTimeout: sleep, setImmediate: immediate, setInterval: every, scheduler } = require("timers/promises");
const tty = require("tty");
const { performance } = require("perf_hooks");
const con = require("console");

console.log("same process", proc === process, typeof proc.argv, proc.argv.length >= 2);
console.log("tty", tty.isatty(0), tty.isatty(1), typeof tty.WriteStream);
console.log("console", con === console, typeof con.log);
const t0 = performance.now();
console.log("performance", typeof t0, t0 >= 0);

const order = [];
timers.setTimeout(() => order.push("timeout 0"), 0);
const cancelled = timers.setTimeout(() => order.push("never"), 5);
timers.clearTimeout(cancelled);
const im = timers.setImmediate(() => order.push("never immediate"));
timers.clearImmediate(im);
Promise.resolve().then(() => order.push("promise"));
process.nextTick(() => order.push("nextTick"));
order.push("sync");

(async () => {
  const v = await sleep(10, "slept");
  order.push(v);
  order.push(await immediate("immediate value"));
  let n = 0;
  for await (const tick of every(5, "tick")) {
    order.push(tick + " " + ++n);
    if (n === 3) break;
  }
  await scheduler.wait(5);
  order.push("waited");
  const ac = new AbortController();
  const p = sleep(1000, "late", { signal: ac.signal });
  ac.abort();
  try {
    await p;
  } catch (e) {
    order.push(e.name + " " + e.code);
  }
  let count = 0;
  await new Promise((done) => {
    const id = timers.setInterval(() => {
      if (++count === 2) {
        timers.clearInterval(id);
        done();
      }
    }, 1);
  });
  order.push("interval ran " + count);
  console.log(order.join(" | "));
  console.log("elapsed sane", performance.now() - t0 >= 20);
})();
