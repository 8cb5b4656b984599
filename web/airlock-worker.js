// Airlock in the browser: runs one WASI preview 1 module in this Web Worker under a portable run's
// policy (see airlock-web.js and POST /v1/executions/portable). Deny by default: the guest gets its
// argv, the granted environment, its stdin, the seeded files under /workspace (in one preopened
// directory "/", only when files were given), the clock and randomness the policy names, and
// nothing else. Every host call is charged fuel as Airlock's mediator charges it, so that a metered
// module uses the same fuel here as on the server. The page enforces the time limit by terminating
// this worker.
import {
  WASI, WASIProcExit, Fd, File, Directory, OpenFile, PreopenDirectory, wasi,
} from './vendor/browser_wasi_shim/index.js';

const MODULE = 'wasi_snapshot_preview1';
const ENOTCAPABLE = 76;
const FROZEN_WALL_NS = 946684800000n * 1000000n; // 2000-01-01T00:00:00Z

/** Ends the run from inside a host call: an outcome, not a guest trap. */
class Stop {
  constructor(status, kind, message) {
    this.status = status;
    this.kind = kind;
    this.message = message;
  }
}

function sizeText(bytes) {
  const units = [[1 << 30, 'GiB'], [1 << 20, 'MiB'], [1 << 10, 'KiB']];
  for (const [unit, name] of units) {
    if (bytes !== 0 && bytes % unit === 0) return bytes / unit + name;
  }
  return bytes + 'B';
}

function fromBase64(text) {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function toBase64(bytes) {
  let raw = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    raw += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(raw);
}

/** A file's content as the API gives it: text when it is UTF-8, else {base64}. */
function content(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    return { base64: toBase64(bytes) };
  }
}

function fileBytes(c) {
  return typeof c === 'string' ? new TextEncoder().encode(c) : fromBase64(c.base64);
}

/** stdout or stderr: counted against the output cap, posted to the page as it comes. */
class Sink extends Fd {
  constructor(run, stream) {
    super();
    this.run = run;
    this.stream = stream;
  }
  fd_fdstat_get() {
    return { ret: 0, fdstat: new wasi.Fdstat(wasi.FILETYPE_CHARACTER_DEVICE, 0) };
  }
  fd_write(data) {
    if (!this.run.quiet) this.run.output(this.stream, data);
    return { ret: 0, nwritten: data.byteLength };
  }
}

/** Bytes a host call copied between guest memory and the host, as Airlock's CallSummaries counts. */
// (paths count whether or not the call succeeds; what a call reads or writes only when it does)
function copied(run, name, a, ret) {
  const ok = ret === 0;
  const view = new DataView(run.memory().buffer);
  switch (name) {
    case 'fd_write': case 'fd_read': return ok ? view.getUint32(a[3], true) : 0;
    case 'fd_pwrite': case 'fd_pread': case 'fd_readdir': return ok ? view.getUint32(a[4], true) : 0;
    case 'random_get': return ok ? a[1] : 0;
    case 'fd_prestat_dir_name': return ok ? a[2] : 0;
    case 'args_get': return ok ? run.argsBytes : 0;
    case 'environ_get': return ok ? run.envBytes : 0;
    case 'path_readlink': return a[2] + (ok ? view.getUint32(a[5], true) : 0);
    case 'path_open': case 'path_filestat_get': case 'path_filestat_set_times': return a[3];
    case 'path_create_directory': case 'path_remove_directory': case 'path_unlink_file': return a[2];
    case 'path_rename': return a[2] + a[5];
    case 'path_link': return a[3] + a[6];
    case 'path_symlink': return a[1] + a[4];
    default: return 0;
  }
}

class Run {
  constructor(plan) {
    this.plan = plan;
    this.stdout = [];
    this.stderr = [];
    this.stdoutBytes = 0;
    this.stderrBytes = 0;
    this.delivered = 0;
    this.hostCalls = 0;
    this.denials = [];
    this.instance = null;
    const enc = new TextEncoder();
    this.argsBytes = plan.argv.reduce((n, a) => n + enc.encode(a).length + 1, 0);
    this.env = Object.entries(plan.env || {}).map(([k, v]) => k + '=' + v);
    this.envBytes = this.env.reduce((n, e) => n + enc.encode(e).length + 1, 0);
  }

  memory() {
    return this.instance.exports.memory;
  }

  fuelGlobal() {
    return this.plan.fuel ? this.instance.exports[this.plan.fuel.export] : null;
  }

  /** Charges fuel as the mediator does: running out leaves the counter at -1 and stops the run. */
  charge(amount) {
    const g = this.fuelGlobal();
    if (!g || amount <= 0) return;
    const left = g.value;
    const cost = BigInt(amount);
    if (left < cost) {
      g.value = -1n;
      throw new Stop('limit', 'fuel', 'limit exceeded: fuel (' + this.plan.fuel.budget + ')');
    }
    g.value = left - cost;
  }

  output(stream, data) {
    if (stream === 'stdout') this.stdoutBytes += data.byteLength; else this.stderrBytes += data.byteLength;
    const cap = this.plan.limits.maxOutputBytes;
    const now = Math.max(0, Math.min(cap - this.delivered, data.byteLength));
    if (now > 0) {
      const part = data.slice(0, now);
      (stream === 'stdout' ? this.stdout : this.stderr).push(part);
      this.delivered += now;
      postMessage({ type: stream, text: new TextDecoder().decode(part) });
    }
    if (now < data.byteLength) {
      throw new Stop('limit', 'output', 'limit exceeded: output (' + sizeText(cap) + ')');
    }
  }

  deny(name, detail) {
    this.denials.push({ call: MODULE + '.' + name, rule: 'policy', detail });
    return ENOTCAPABLE;
  }

  /** Every WASI function, each passing the mediation below: fuel, policy, then the shim. */
  imports(shim) {
    const own = {
      clock_time_get: (id, precision, at) => {
        if (this.plan.clock === 'deny') return this.deny('clock_time_get', 'clock denied');
        if (id < 0 || id > 3) return wasi.ERRNO_INVAL;
        let ns;
        if (this.plan.clock === 'frozen') ns = id === 0 ? FROZEN_WALL_NS : 0n;
        else ns = id === 0 ? BigInt(Date.now()) * 1000000n : BigInt(Math.floor(performance.now())) * 1000000n;
        new DataView(this.memory().buffer).setBigUint64(at, ns, true);
        return 0;
      },
      clock_res_get: (id, at) => {
        if (this.plan.clock === 'deny') return this.deny('clock_res_get', 'clock denied');
        if (id < 0 || id > 3) return wasi.ERRNO_INVAL;
        new DataView(this.memory().buffer).setBigUint64(at, 1000000n, true);
        return 0;
      },
      random_get: (buf, len) => {
        if (this.plan.random !== 'real') return this.deny('random_get', 'randomness denied');
        const bytes = new Uint8Array(this.memory().buffer, buf, len);
        for (let i = 0; i < len; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(len, i + 65536)));
        return 0;
      },
    };
    // no socket is ever open, as on the server: a closed descriptor is EBADF, any other ENOTSOCK
    for (const name of ['sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown']) {
      own[name] = (fd) => (shim.fds[fd] === undefined ? wasi.ERRNO_BADF : wasi.ERRNO_NOTSOCK);
    }
    const table = {};
    for (const [name, fn] of Object.entries(shim.wasiImport)) {
      const impl = own[name] || fn;
      table[name] = (...args) => {
        this.hostCalls++;
        this.charge(this.plan.fuel ? this.plan.fuel.hostCall : 0);
        const ret = impl(...args);
        if (this.plan.fuel) {
          const bytes = copied(this, name, args, ret);
          this.charge(Math.floor((bytes * this.plan.fuel.hostPerKiB) / 1024));
        }
        return ret;
      };
    }
    return table;
  }
}

/** The imports this run cannot satisfy, in Airlock's words. */
function refusal(module, provided, entry) {
  for (const imp of WebAssembly.Module.imports(module)) {
    if (!provided[imp.module]) {
      return 'import ' + imp.module + '.' + imp.name + ' (' + imp.kind + "): no such host module '" + imp.module + "' in the browser";
    }
    if (imp.kind !== 'function' || !provided[imp.module][imp.name]) {
      return 'import ' + imp.module + '.' + imp.name + ' (' + imp.kind + '): not provided';
    }
  }
  const start = WebAssembly.Module.exports(module).find((e) => e.name === entry);
  return start && start.kind === 'function' ? null : 'no entry point: the module does not export a ' + entry + ' function';
}

/** A snippet through QuickJS's reactor ABI (runtimes/quickjs/airlock_js.c): its status. */
function evaluate(exports, code) {
  const bytes = new TextEncoder().encode(code);
  const at = exports.alloc(bytes.length + 1);
  if (at === 0) throw new Error('the interpreter is out of memory');
  const mem = new Uint8Array(exports.memory.buffer);
  mem.set(bytes, at);
  mem[at + bytes.length] = 0;
  const status = exports.eval(at, bytes.length);
  exports.free(at);
  return status;
}

function trapKind(e) {
  const m = String(e && e.message);
  if (/unreachable/i.test(m)) return 'unreachable';
  if (/memory access out of bounds|out of bounds memory/i.test(m)) return 'out-of-bounds-memory';
  if (/table index is out of bounds|out of bounds table/i.test(m)) return 'out-of-bounds-table';
  if (/divide by zero|division by zero/i.test(m)) return 'integer-divide-by-zero';
  if (/integer overflow|divide result unrepresentable/i.test(m)) return 'integer-overflow';
  if (/float unrepresentable|invalid conversion/i.test(m)) return 'invalid-conversion';
  if (/signature mismatch|indirect call/i.test(m)) return 'indirect-call-type-mismatch';
  return 'other';
}

function seeded(plan) {
  const root = new Map();
  for (const [path, c] of Object.entries(plan.files || {})) {
    const parts = path.replace(/^\/+/, '').split('/');
    let dir = root;
    for (const p of parts.slice(0, -1)) {
      if (!dir.has(p)) dir.set(p, new Directory(new Map()));
      dir = dir.get(p).contents;
    }
    dir.set(parts[parts.length - 1], new File(fileBytes(c)));
  }
  if (!root.has('workspace')) root.set('workspace', new Directory(new Map()));
  return root;
}

/** Files under /workspace now, by absolute path. */
function listFiles(dir, prefix, out) {
  for (const [name, node] of dir.contents) {
    if (node instanceof Directory) listFiles(node, prefix + '/' + name, out);
    else if (node instanceof File) out[prefix + '/' + name] = node.data;
  }
  return out;
}

async function execute(plan) {
  const started = performance.now();
  const run = new Run(plan);
  const finish = (status, exitCode, kind, message) => {
    let fuel = null;
    const g = run.instance && run.fuelGlobal();
    if (plan.fuel && g) {
      const left = g.value;
      fuel = left < 0n ? plan.fuel.budget : Number(BigInt(plan.fuel.budget) - left);
    }
    const files = {};
    if (run.root) {
      const now = listFiles(run.root.get('workspace'), '/workspace', {});
      for (const [path, bytes] of Object.entries(now)) {
        const before = plan.files && plan.files[path] !== undefined ? fileBytes(plan.files[path]) : null;
        if (!before || before.length !== bytes.length || before.some((b, i) => b !== bytes[i])) files[path] = content(bytes);
      }
    }
    const text = (parts) => new TextDecoder().decode(new Uint8Array(parts.flatMap((p) => Array.from(p))));
    return {
      status, exitCode, kind, message,
      stdout: text(run.stdout), stderr: text(run.stderr),
      usage: {
        wallMillis: Math.round(performance.now() - started),
        memoryPeakBytes: run.instance && run.instance.exports.memory ? run.instance.exports.memory.buffer.byteLength : 0,
        stdoutBytes: run.stdoutBytes, stderrBytes: run.stderrBytes,
        hostCalls: run.hostCalls, fuel, startMillis: 0,
      },
      denials: run.denials, files, where: 'browser',
    };
  };
  if (plan.refused) return finish('rejected', null, plan.refused.kind, plan.refused.message);
  if (plan.random === 'seeded') {
    return finish('rejected', null, 'unportable', 'module rejected: seeded randomness runs on the server only');
  }
  let module;
  try {
    module = await WebAssembly.compile(fromBase64(plan.module));
  } catch (e) {
    return finish('rejected', null, 'invalid', 'module rejected: ' + e.message);
  }
  const fds = [
    new OpenFile(new File(plan.stdin ? new TextEncoder().encode(plan.stdin) : new Uint8Array(0))),
    new Sink(run, 'stdout'),
    new Sink(run, 'stderr'),
  ];
  if (plan.files) {
    run.root = seeded(plan);
    fds.push(new PreopenDirectory('/', run.root));
  }
  const shim = new WASI(plan.argv, run.env, fds);
  const provided = { [MODULE]: run.imports(shim) };
  const program = plan.program;
  if (program) {
    // no host tools in the browser: a tool call (fetch, the tool bridge) gets no answer
    provided.airlock_js = { call: () => 0 };
  }
  const refused = refusal(module, provided, program ? 'eval' : '_start');
  if (refused) return finish('rejected', null, refused.startsWith('import') ? 'unknown-import' : 'no-entry-point', 'module rejected: ' + refused);
  try {
    run.instance = await WebAssembly.instantiate(module, provided);
    const memory = run.instance.exports.memory;
    if (memory && memory.buffer.byteLength > plan.limits.memoryBytes) {
      return finish('rejected', null, 'memory', 'module rejected: memory 0: initial size ' + sizeText(memory.buffer.byteLength) + ' is above the memory limit of ' + sizeText(plan.limits.memoryBytes));
    }
    shim.inst = run.instance;
    if (program) {
      // as the server prepares its interpreter: started, then the environment, output discarded
      const ex = run.instance.exports;
      run.quiet = true;
      if (ex._initialize) ex._initialize();
      if (ex.init() !== 0) return finish('error', null, null, 'error: QuickJS failed to start');
      if (program.setup) evaluate(ex, program.setup);
      run.quiet = false;
      run.hostCalls = 0;
      const status = evaluate(ex, program.code);
      return status === 0 ? finish('ok', 0, null, 'ok') : finish('exit', status, null, 'exited with code ' + status);
    }
    run.instance.exports._start();
    return finish('ok', 0, null, 'ok');
  } catch (e) {
    if (e instanceof WASIProcExit) {
      return e.code === 0 ? finish('ok', 0, null, 'ok') : finish('exit', e.code, null, 'exit code ' + e.code);
    }
    if (e instanceof Stop) return finish(e.status, null, e.kind, e.message);
    const g = run.instance && run.fuelGlobal();
    if (g && g.value < 0n) return finish('limit', null, 'fuel', 'limit exceeded: fuel (' + plan.fuel.budget + ')');
    if (e instanceof RangeError) return finish('limit', null, 'stack', 'limit exceeded: stack (call depth exhausted the browser\'s stack)');
    if (e instanceof WebAssembly.RuntimeError) return finish('trap', null, trapKind(e), 'trap: ' + e.message);
    return finish('error', null, null, 'error: ' + (e && e.message ? e.message : String(e)));
  }
}

onmessage = async (event) => {
  let result;
  try {
    result = await execute(event.data.plan);
  } catch (e) {
    result = { status: 'error', exitCode: null, kind: null, message: 'error: ' + (e && e.message), stdout: '', stderr: '', usage: null, denials: [], files: {} };
  }
  postMessage({ type: 'result', result });
};
