// Airlock in the browser: the same WASI module under the same policy as on an Airlock server.
//
//   import { prepare, runInBrowser } from '/web/airlock-web.js';
//   const plan = await prepare('', key, { language: 'wasm', module: base64, args: ['x'],
//                                         limits: { fuel: 1000000 } });
//   const result = await runInBrowser(plan, { onOutput: (stream, text) => ... });
//
// prepare() asks the server (POST /v1/executions/portable) for the module and policy: with a fuel
// budget the server's own metered module, so the fuel used here is the server's. runInBrowser()
// runs it in a Web Worker (airlock-worker.js) that grants nothing the plan does not name, and
// terminates the worker at the time limit. The result has the shape of the API's ExecutionResult
// (status, exitCode, kind, message, stdout, stderr, usage, denials, files), with where: 'browser'
// and no runId: a browser run is not recorded on the server.

/** Asks the server at baseUrl ('' for this origin) for a portable run of an execution request. */
export async function prepare(baseUrl, key, request) {
  const res = await fetch(baseUrl + '/v1/executions/portable', {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + key, 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const detail = body && (body.detail || body.title);
    throw new Error(detail || 'the server answered ' + res.status);
  }
  return body;
}

function timeText(ms) {
  if (ms % 3600000 === 0) return ms / 3600000 + 'h';
  if (ms % 60000 === 0) return ms / 60000 + 'm';
  if (ms % 1000 === 0) return ms / 1000 + 's';
  return ms + 'ms';
}

/**
 * Runs a portable run in a new Web Worker; resolves to its result (never rejects for anything the
 * guest does). options.onOutput(stream, text) receives output as it is written; options.workerUrl
 * overrides where the worker script is.
 */
export function runInBrowser(plan, options = {}) {
  const url = options.workerUrl || new URL('./airlock-worker.js', import.meta.url);
  const worker = new Worker(url, { type: 'module' });
  const out = { stdout: '', stderr: '' };
  const started = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const end = (result) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      worker.terminate();
      resolve(result);
    };
    const timeout = plan.limits && plan.limits.timeoutMs;
    const timer = setTimeout(() => end({
      status: 'limit', exitCode: null, kind: 'time',
      message: 'limit exceeded: time (' + timeText(timeout) + ')',
      stdout: out.stdout, stderr: out.stderr,
      usage: { wallMillis: Math.round(performance.now() - started), fuel: null },
      denials: [], files: {}, where: 'browser',
    }), timeout || 10000);
    worker.onmessage = (event) => {
      const m = event.data;
      if (m.type === 'stdout' || m.type === 'stderr') {
        out[m.type] += m.text;
        if (options.onOutput) options.onOutput(m.type, m.text);
      } else if (m.type === 'result') {
        end(m.result);
      }
    };
    worker.onerror = (event) => end({
      status: 'error', exitCode: null, kind: null,
      message: 'error: the browser could not run the worker (' + (event.message || 'unknown') + ')',
      stdout: out.stdout, stderr: out.stderr, usage: null, denials: [], files: {}, where: 'browser',
    });
    worker.postMessage({ plan });
  });
}
