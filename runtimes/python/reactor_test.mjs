// Quick check of airlock-python.wasm's ABI under Node's WASI (see airlock_python.c).
// usage: node reactor_test.mjs airlock-python.wasm STDLIB_DIR(with python313.zip) GUEST_DIR(with guest.py) [code]
import { WASI } from 'node:wasi';
import { readFileSync } from 'node:fs';
const [wasm, libdir, guestdir, code = 'print(1+1)'] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: ['python3'], env: {},
  preopens: { '/usr/local/lib': libdir, '/guest': guestdir }, returnOnExit: true });
const t0 = performance.now();
const inst = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(wasm)), wasi.getImportObject());
const x = inst.exports;
console.log('exports:', Object.keys(x).join(' '));
wasi.initialize(inst);                                       // calls _initialize
let rc = x.airlock_init();
console.log('airlock_init ->', rc, `(${(performance.now() - t0).toFixed(0)} ms since compile)`);
const enc = new TextEncoder();
function put(s) { const b = enc.encode(s); const p = x.airlock_alloc(b.length || 1);
  new Uint8Array(x.memory.buffer, p, b.length).set(b); return [p, b.length]; }
function call(name, arg) {
  const [n, nl] = put(name), [a, al] = put(arg);
  const r = x.airlock_call(n, nl, a, al); x.airlock_free(n); x.airlock_free(a); return r; }
console.log('run ->', call('run', code));
console.log('run raise ->', call('run', 'raise ValueError("boom")'));
console.log('run SystemExit(7) ->', call('run', 'raise SystemExit(7)'));
console.log('run sys.path ->', call('run', 'import sys; print(sys.path, sys.flags.isolated, sys.flags.utf8_mode, sys.flags.safe_path)'));
console.log('memory pages:', x.memory.buffer.byteLength / 65536);
