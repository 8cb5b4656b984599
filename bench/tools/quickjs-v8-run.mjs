// Airlock's own QuickJS module (the one behind `airlock js`) run by Node's V8 and WASI, for a
// reference on the same WebAssembly: how fast a mature WebAssembly JIT runs the interpreter that
// Airlock runs on the JVM. Node's WASI has no policy; use it on the benchmark programs only.
// usage: node bench/tools/quickjs-v8-run.mjs PROGRAM.js [RUNS]   (prints each run's output)
import { WASI } from 'node:wasi';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [program, runs = '5'] = process.argv.slice(2);
if (!program) {
  console.error('usage: node bench/tools/quickjs-v8-run.mjs PROGRAM.js [RUNS]');
  process.exit(2);
}
const wasm = fileURLToPath(new URL(
  '../../lang/src/main/resources/dev/airlock/lang/js/airlock-js.wasm', import.meta.url));
const wasi = new WASI({ version: 'preview1', args: ['js'], env: {}, returnOnExit: true });
// the driver's one import: tool calls, which the benchmark programs do not make
const imports = { ...wasi.getImportObject(), airlock_js: { call: () => 0 } };
const instance = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(wasm)), imports);
const x = instance.exports;
wasi.initialize(instance);
if (x.init() !== 0) {
  console.error('the driver failed to start');
  process.exit(1);
}
const code = readFileSync(program);
for (let i = 0; i < Number(runs); i++) {
  const p = x.alloc(code.length + 1);
  const view = new Uint8Array(x.memory.buffer, p, code.length + 1);
  view.set(code);
  view[code.length] = 0;
  const status = x.eval(p, code.length);
  x.free(p);
  if (status !== 0) {
    console.error(`run ${i}: status ${status}`);
    process.exit(1);
  }
}
