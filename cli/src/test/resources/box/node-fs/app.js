// fs writes in a box: a layer in memory for one run, read back as node reads its disk.
const fs = require("fs");
const fsp = require("fs/promises");
const path = require("path");

const code = (f) => { try { f(); return "ok"; } catch (e) { return e.code; } };
const list = (d) => fs.readdirSync(d).join(",");

fs.mkdirSync("out/a/b", { recursive: true });
fs.writeFileSync("out/a/b/one.txt", "one\n");
fs.appendFileSync("out/a/b/one.txt", "more\n");
fs.writeFileSync("out/bytes.bin", Buffer.from([0, 1, 2, 250, 255]));
console.log("read", JSON.stringify(fs.readFileSync("out/a/b/one.txt", "utf8")));
console.log("bytes", [...fs.readFileSync("out/bytes.bin")].join(","), fs.statSync("out/bytes.bin").size);
console.log("hex", fs.readFileSync("out/bytes.bin", "hex"), fs.readFileSync("out/bytes.bin").toString("base64"));
console.log("list", list("out"), list("out/a"), list("data"));
console.log("types", fs.readdirSync("out", { withFileTypes: true }).map((d) => d.name + ":" + (d.isDirectory() ? "d" : "f")).join(","));
console.log("stat", fs.statSync("out/a").isDirectory(), fs.statSync("out/a/b/one.txt").isFile(), fs.statSync("out/a/b/one.txt").size);
fs.copyFileSync("data/in.txt", "out/copy.txt");
fs.renameSync("out/copy.txt", "out/moved.txt");
console.log("moved", fs.existsSync("out/copy.txt"), fs.readFileSync("out/moved.txt", "utf8").trim());
fs.renameSync("out/a", "out/z");
console.log("renamed dir", list("out"), fs.readFileSync("out/z/b/one.txt", "utf8").length);
fs.writeFileSync("data/in.txt", "replaced\n");
console.log("box file replaced", fs.readFileSync("data/in.txt", "utf8").trim());
console.log("errors",
  code(() => fs.readFileSync("nope.txt")),
  code(() => fs.mkdirSync("out")),
  code(() => fs.writeFileSync("missing/x.txt", "x")),
  code(() => fs.writeFileSync("out", "x")),
  code(() => fs.unlinkSync("out/z")),
  code(() => fs.rmdirSync("out/z")),
  code(() => fs.rmSync("out/z")),
  code(() => fs.writeFileSync("out/moved.txt", "x", { flag: "wx" })),
  code(() => fs.rmSync("nope", { force: true })));
fs.unlinkSync("out/moved.txt");
fs.rmSync("out/z", { recursive: true });
console.log("after rm", list("out"), fs.existsSync("out/z"));
fs.mkdirSync("out/empty");
fs.rmdirSync("out/empty");
const tmp = fs.mkdtempSync(path.join(require("os").tmpdir(), "box-"));
fs.writeFileSync(path.join(tmp, "t.txt"), "temp");
console.log("tmp", path.basename(tmp).startsWith("box-"), fs.readFileSync(path.join(tmp, "t.txt"), "utf8"));

fs.writeFile("out/cb.txt", "callback", (err) => {
  fs.readFile("out/cb.txt", "utf8", (err2, text) => {
    console.log("callback", err, err2, text);
    (async () => {
      await fsp.mkdir("out/p/q", { recursive: true });
      await fsp.writeFile("out/p/q/r.json", JSON.stringify({ a: 1 }));
      await fsp.appendFile("out/p/q/r.json", "\n");
      const back = JSON.parse(await fsp.readFile("out/p/q/r.json", "utf8"));
      await fsp.rename("out/p/q/r.json", "out/p/r.json");
      console.log("promises", back.a, (await fsp.readdir("out/p")).join(","), (await fsp.stat("out/p/r.json")).size);
      try { await fsp.readFile("out/p/q/r.json"); } catch (e) { console.log("promise error", e.code); }
      await fsp.rm("out", { recursive: true });
      console.log("gone", fs.existsSync("out"));
    })();
  });
});
