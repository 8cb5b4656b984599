// The code runner: one execution in a fresh sandbox, its output streamed as it is written.
import * as api from "./api.js";
import { h, field, notice, replace, bytes, num } from "./dom.js";
import { runInBrowser } from "./web/airlock-web.js";

const SAMPLES = {
  python: "print(6 * 7)",
  javascript: "console.log([1, 2, 3].map((x) => x * 2).join(','))",
};

export function runPage(main) {
  const language = h("select", { id: "language", name: "language" },
    h("option", { value: "python" }, "Python"),
    h("option", { value: "javascript" }, "JavaScript"),
    h("option", { value: "wasm" }, "WebAssembly module (.wasm)"));
  const code = h("textarea", { id: "code", name: "code", rows: 8, spellcheck: "false" });
  code.value = SAMPLES.python;
  const module = h("input", { id: "module", type: "file", accept: ".wasm,application/wasm" });
  const args = h("input", { id: "args", type: "text", placeholder: "one two three" });
  const stdin = h("textarea", { id: "stdin", name: "stdin", rows: 2, spellcheck: "false" });
  const limit = (id, hint) =>
    h("input", { id, type: "number", min: 1, step: 1, inputmode: "numeric", placeholder: hint });
  const timeout = limit("timeout", "10000");
  const memory = limit("memory", "256");
  const output = limit("max-output", "16");
  const fuel = limit("fuel", "wasm only");
  const env = h("textarea", { id: "env", name: "env", rows: 2, spellcheck: "false",
    placeholder: "NAME=value, one per line" });
  const net = h("textarea", { id: "allow-net", name: "allowNet", rows: 2, spellcheck: "false",
    placeholder: "GET https://api.example.com/v1/, one rule per line" });
  const codeBox = h("div", { id: "code-box" }, field("Code", code));
  const wasmBox = h("div", { id: "wasm-box", hidden: true },
    field("Module", module), field("Arguments", args, "split at spaces"));
  language.addEventListener("change", () => {
    const wasm = language.value === "wasm";
    codeBox.hidden = wasm;
    wasmBox.hidden = !wasm;
    local.hidden = language.value === "python";
    if (!wasm && Object.values(SAMPLES).includes(code.value)) code.value = SAMPLES[language.value];
  });
  const out = h("section", { id: "result", "aria-live": "polite", "aria-label": "Result" });
  const run = h("button", { type: "submit", class: "primary", id: "run" }, "Run");
  const local = h("button", { type: "button", id: "run-browser", hidden: true,
    title: "The same module or snippet and policy, run by this browser (nothing is recorded on the server)" },
  "Run in this browser");
  const form = h("form", { class: "card", id: "run-form" },
    h("h1", {}, "Run code"),
    field("Language", language),
    codeBox, wasmBox,
    field("Standard input", stdin),
    h("fieldset", { class: "limits" },
      h("legend", {}, "Limits (empty: the server's default, within the tenant's ceilings)"),
      field("Timeout (ms)", timeout), field("Memory (MiB)", memory),
      field("Output cap (MiB)", output), field("Fuel", fuel)),
    h("fieldset", { class: "grants" },
      h("legend", {}, "Grants for this run (empty: none)"),
      field("Environment variables", env, "the guest sees only these"),
      field("Network rules", net, "each within the server's own rules (serve --allow-net)")),
    h("p", { class: "hint" },
      "Clock, randomness and files are granted by the server's policy."),
    h("div", { class: "actions" }, run, " ", local));
  /** The request the form describes, or null after showing why there is none. */
  async function request() {
    const body = { language: language.value };
    if (body.language === "wasm") {
      const file = module.files[0];
      if (!file) {
        replace(out, notice("error", "Choose a .wasm file first."));
        return null;
      }
      body.module = await base64(file);
      const a = args.value.trim();
      if (a) body.args = a.split(/\s+/);
    } else {
      body.code = code.value;
    }
    if (stdin.value) body.stdin = stdin.value;
    const limits = {};
    const n = (el, scale = 1) => (el.value ? Math.round(Number(el.value) * scale) : null);
    if (n(timeout)) limits.timeoutMs = n(timeout);
    if (n(memory)) limits.memoryBytes = n(memory, 1 << 20);
    if (n(output)) limits.maxOutputBytes = n(output, 1 << 20);
    if (n(fuel)) limits.fuel = n(fuel);
    if (Object.keys(limits).length) body.limits = limits;
    const lines = (el) => el.value.split("\n").map((l) => l.trim()).filter((l) => l !== "");
    if (lines(env).length) {
      body.env = {};
      for (const l of lines(env)) {
        const i = l.indexOf("=");
        if (i <= 0) {
          replace(out, notice("error", "Environment variables are NAME=value: " + l));
          return null;
        }
        body.env[l.slice(0, i)] = l.slice(i + 1);
      }
    }
    if (lines(net).length) body.allowNet = lines(net);
    return body;
  }
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = await request();
    if (!body) return;
    run.disabled = true;
    try {
      await execute(out, "/v1/executions", body);
    } finally {
      run.disabled = false;
    }
  });
  local.addEventListener("click", async () => {
    const body = await request();
    if (!body) return;
    local.disabled = true;
    try {
      await executeHere(out, body);
    } finally {
      local.disabled = false;
    }
  });
  replace(main, h("div", { class: "split" }, form, out));
  code.focus();
}

/**
 * Runs with streamed output into `out`: the output as it comes, then the outcome. Shared by the
 * runner and the session cells.
 */
export function execute(out, path, body) {
  return show(out, "Output", "Running…",
    (onOutput) => api.stream(path, body, onOutput));
}

/**
 * Runs a wasm or JavaScript request in this browser: the server prepares it (the same policy, and
 * its metered module when there is a fuel budget), a Web Worker runs it; output streams into `out`.
 */
export function executeHere(out, body) {
  return show(out, "Output (this browser)", "Running in this browser…", async (onOutput) =>
    runInBrowser(await api.call("POST", "/v1/executions/portable", body), { onOutput }));
}

/** Shows a run in `out`: its output as `run(onOutput)` reports it, then its outcome or error. */
async function show(out, heading, waiting, run) {
  const pre = h("pre", { class: "output", tabindex: "0", "aria-label": "Output" });
  replace(out, h("h2", {}, heading), pre, notice("info", waiting));
  try {
    const result = await run((stream, text) => pre.append(h("span", { class: stream }, text)));
    out.lastChild.remove();
    out.append(outcome(result));
    return result;
  } catch (e) {
    out.lastChild.remove();
    out.append(notice("error", e.message));
    if (e.status === 401) location.reload();
    return null;
  }
}

/** An execution result: status, message, usage, denials and a link to the run. */
export function outcome(r) {
  const u = r.usage || {};
  return h("div", { class: "outcome", "data-status": r.status },
    h("p", {},
      h("span", { class: "badge " + r.status, id: "status" }, r.status),
      " ", h("span", { class: "message" }, r.message || ""),
      r.kind ? h("span", { class: "kind" }, " (" + r.kind + ")") : null,
      r.sessionReset ? h("strong", {}, " — the session was reset") : null,
      r.where === "browser" ? h("span", { class: "badge where", id: "where" }, "in this browser") : null),
    h("dl", { class: "usage" },
      h("dt", {}, "Exit code"), h("dd", {}, r.exitCode ?? "–"),
      h("dt", {}, "Wall time"), h("dd", {}, num(u.wallMillis) + " ms"),
      h("dt", {}, "Memory peak"), h("dd", {}, bytes(u.memoryPeakBytes)),
      h("dt", {}, "Output"), h("dd", {}, bytes(u.stdoutBytes) + " / " + bytes(u.stderrBytes)),
      h("dt", {}, "Host calls"), h("dd", {}, num(u.hostCalls)),
      h("dt", {}, "Fuel"), h("dd", {}, num(u.fuel))),
    denials(r.denials),
    r.runId ? h("p", {}, h("a", { href: "#/runs/" + r.runId, id: "run-link" },
      "Audit trail of run " + r.runId)) : null);
}

export function denials(list) {
  if (!list || !list.length) return null;
  return h("div", { class: "denials" },
    h("h3", {}, "Denied (" + list.length + ")"),
    h("ul", {}, list.map((d) => h("li", { class: "denied", "data-rule": d.rule },
      h("code", {}, d.call), " — ", h("strong", { class: "rule" }, d.rule),
      d.detail ? ": " + d.detail : ""))));
}

async function base64(file) {
  const buf = new Uint8Array(await file.arrayBuffer());
  let s = "";
  for (let i = 0; i < buf.length; i += 0x8000) {
    s += String.fromCharCode.apply(null, buf.subarray(i, i + 0x8000));
  }
  return btoa(s);
}
