// Node's stream module in a box: Readable.from, a Transform, a Writable, pipeline (callback and
// promises), async iteration, paused mode with 'readable', pipe, object mode, errors, finished.
const { Readable, Writable, Transform, PassThrough, pipeline, finished } = require("stream");
const { pipeline: pipelineP } = require("stream/promises");

const upper = () => new Transform({
  transform(chunk, enc, cb) { cb(null, chunk.toString().toUpperCase()); },
});
const collect = (into) => new Writable({
  write(chunk, enc, cb) { into.push(chunk.toString()); cb(); },
});

async function main() {
  // 1. pipeline with a callback
  const got = [];
  await new Promise((resolve) => pipeline(Readable.from(["a", "b", "c"]), upper(), collect(got), (err) => {
    console.log("pipeline:", err ? err.message : "ok", got.join(""));
    resolve();
  }));

  // 2. stream/promises pipeline, with a flush that adds a trailer
  const lines = [];
  const numbered = new Transform({
    transform(chunk, enc, cb) { this.n = (this.n || 0) + 1; cb(null, this.n + ": " + chunk); },
    flush(cb) { cb(null, "total " + this.n); },
  });
  await pipelineP(Readable.from(["x", "y"]), numbered, collect(lines));
  console.log("promises:", JSON.stringify(lines));

  // 3. async iteration over a Readable fed by push
  const r = new Readable({ read() {} });
  r.push("one ");
  r.push("two");
  r.push(null);
  let text = "";
  for await (const chunk of r) text += chunk;
  console.log("iterated:", text);

  // 4. object mode through a PassThrough, with data and end events
  const objs = [];
  await new Promise((resolve) => {
    const p = new PassThrough({ objectMode: true });
    p.on("data", (o) => objs.push(o.id));
    p.on("end", resolve);
    p.write({ id: 1 });
    p.write({ id: 2 });
    p.end({ id: 3 });
  });
  console.log("objects:", objs.join(","));

  // 5. paused mode: 'readable' and read()
  const paused = new Readable({ read() {} });
  paused.setEncoding("utf8");
  let readText = "";
  await new Promise((resolve) => {
    paused.on("readable", () => { let c; while ((c = paused.read()) !== null) readText += c; });
    paused.on("end", resolve);
    paused.push("pa");
    paused.push("used");
    paused.push(null);
  });
  console.log("readable:", readText);

  // 6. pipe into a Writable, and its finish
  const piped = [];
  await new Promise((resolve) => {
    const w = collect(piped);
    w.on("finish", resolve);
    Readable.from(["p", "i", "p", "e"]).pipe(w);
  });
  console.log("piped:", piped.join(""));

  // 7. an error in a transform fails the pipeline, once
  const failing = new Transform({ transform(chunk, enc, cb) { cb(new Error("bad chunk " + chunk)); } });
  await new Promise((resolve) => pipeline(Readable.from(["q"]), failing, collect([]), (err) => {
    console.log("failed:", err.message);
    resolve();
  }));

  // 8. finished on a writable
  const w = collect([]);
  finished(w, (err) => console.log("finished:", err ? err.code : "ok"));
  w.end("last");
  await new Promise((resolve) => w.on("close", resolve));
}

main().then(() => console.log("done"));
