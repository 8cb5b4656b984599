// Round trips of the TypeScript client against a live server: node test_client.mjs URL KEY
// The tenant of KEY must see the wasm-echo example skill. Exits non-zero at the first failure.
import assert from "node:assert/strict";
import { Airlock, AirlockError } from "./airlock.js";

const [url, key, adminKey] = process.argv.slice(2);
if (!url || !key) {
  console.error("usage: node test_client.mjs URL KEY");
  process.exit(2);
}

// a WASI module whose _start returns at once
const EMPTY_WASM = Uint8Array.from(
  Buffer.from("0061736d0100000001040160000003020100070a01065f737461727400000a040102000b", "hex"),
);

async function rejects(promise, check) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof AirlockError, `an AirlockError, not ${e}`);
    check(e);
    return;
  }
  assert.fail("no error");
}

const airlock = new Airlock(url, { apiKey: key, timeoutMs: 600000 });
assert.equal(await airlock.health(), true);

// one-shot executions, with limits, files and the run's record
const r = await airlock.runPython(
  "import sys\nprint(open('/workspace/in.txt').read() * 2)\nprint('e', file=sys.stderr)",
  { files: { "in.txt": "ab" }, limits: { timeoutMs: 60000, maxOutputBytes: 1 << 20 } },
);
assert.equal(r.status, "ok", JSON.stringify(r));
assert.equal(r.stdout, "abab\n");
assert.equal(r.stderr, "e\n");
assert.equal((await airlock.run(r.runId)).status, "ok");
assert.ok((await airlock.audit(r.runId)).length > 0);
const js = await airlock.runJavaScript("console.log([1, 2, 3].map(x => x * 2).join(','))");
assert.equal(js.stdout, "2,4,6\n", JSON.stringify(js));
const w = await airlock.runWasm(EMPTY_WASM);
assert.equal(w.status, "ok", JSON.stringify(w));
assert.equal(w.exitCode, 0);
const limited = await airlock.runPython("while True: pass", { limits: { timeoutMs: 300 } });
assert.equal(limited.status, "limit", JSON.stringify(limited));
const out = [];
const streamed = await airlock.runPython("print('one')\nprint('two')", {
  onOutput: (stream, text) => out.push([stream, text]),
});
assert.equal(streamed.status, "ok");
assert.equal(out.filter(([s]) => s === "stdout").map(([, t]) => t).join(""), "one\ntwo\n");

// a session: state, files, snapshot, restore, fork
const session = await airlock.createSession("python");
await session.run("x = 1");
assert.equal((await session.run("print(x)")).stdout, "1\n");
await session.upload("data/in.bin", Uint8Array.from([1, 2, 3, 0]));
await session.run(
  "open('/workspace/out.txt', 'w').write(str(sum(open('/workspace/data/in.bin', 'rb').read())))",
);
assert.equal(new TextDecoder().decode(await session.download("out.txt")), "6");
const files = await session.files();
assert.ok(files.includes("/workspace/data/in.bin") && files.includes("/workspace/out.txt"), files);
const snap = await session.snapshot();
await session.run("x = 2");
await session.restore(snap.id);
assert.equal((await session.run("print(x)")).stdout, "1\n");
const fork = await session.fork();
await fork.run("x = 5");
assert.equal((await fork.run("print(x)")).stdout, "5\n");
assert.equal((await session.run("print(x)")).stdout, "1\n");
const ids = (await airlock.sessions()).map((s) => s.id);
assert.ok(ids.includes(session.id) && ids.includes(fork.id), ids);
await fork.close();
await session.close();
await rejects(session.run("print(x)"), (e) => {
  assert.equal(e.status, 404);
  assert.ok(e.requestId);
});

// skills
const names = (await airlock.skills()).map((s) => s.name);
assert.ok(names.includes("wasm-echo"), names);
assert.ok((await airlock.skill("wasm-echo")).manifest.tools.some((t) => t.name === "echo"));
const called = await airlock.callSkill("wasm-echo", "echo", { a: [1, 2] });
assert.equal(called.status, "ok", JSON.stringify(called));
assert.deepEqual(called.result, { input: { a: [1, 2] } });

// typed errors with the request's id
await rejects(airlock.run("no-such-run", { requestId: "ts-test-1" }), (e) => {
  assert.equal(e.status, 404);
  assert.equal(e.requestId, "ts-test-1");
  assert.ok(e.type.endsWith("/not-found"), e.type);
  assert.ok(e.detail);
});
await rejects(new Airlock(url, { apiKey: "not-a-key-0123456789" }).sessions(), (e) => {
  assert.equal(e.status, 401);
  assert.ok(e.title && e.requestId);
});
await rejects(airlock.runPython("1", { packages: ["no-such-package"] }), (e) => {
  assert.equal(e.status, 400);
  assert.ok(e.detail);
});
assert.throws(() => new Airlock(url, { timeoutMs: 0 }), RangeError);
await assert.rejects(airlock.runPython("1", { limits: { timeoutMs: -1 } }), RangeError);
if (adminKey) {
  const v = await new Airlock(url, { apiKey: adminKey }).verifyAudit();
  assert.ok(v.intact && v.runsChecked > 0, JSON.stringify(v));
  await assert.rejects(airlock.verifyAudit(), (e) => e instanceof AirlockError && e.status === 403);
}
console.log("typescript client: all round trips passed");
