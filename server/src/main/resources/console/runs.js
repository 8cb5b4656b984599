// Recorded runs: the tenant's latest runs with a usage chart, and one run's audit trail.
import * as api from "./api.js";
import { h, field, notice, replace, table, bytes, num, time } from "./dom.js";
import { outcome } from "./run.js";
import { usageCharts } from "./chart.js";

const STATUSES = ["ok", "exit", "trap", "limit", "rejected", "error"];

export async function runsPage(main) {
  replace(main, h("h1", {}, "Runs"), notice("info", "Loading…"));
  const { runs } = await api.call("GET", "/v1/runs?limit=100");
  const status = h("select", { id: "filter-status" },
    h("option", { value: "" }, "any"), STATUSES.map((s) => h("option", { value: s }, s)));
  const kind = h("select", { id: "filter-kind" },
    h("option", { value: "" }, "any"),
    h("option", { value: "run" }, "one-shot"),
    h("option", { value: "session" }, "in a session"));
  const language = h("select", { id: "filter-language" },
    h("option", { value: "" }, "any"),
    ["python", "javascript", "wasm"].map((l) => h("option", { value: l }, l)));
  const denied = h("input", { type: "checkbox", id: "filter-denied" });
  const list = h("div", { id: "runs-list" });
  const draw = () => {
    const shown = runs.filter((r) =>
      (!status.value || r.status === status.value) &&
      (!kind.value || (kind.value === "session") === Boolean(r.sessionId)) &&
      (!language.value || r.language === language.value) &&
      (!denied.checked || r.denials.length > 0));
    replace(list, shown.length
      ? table(`${shown.length} of the latest ${runs.length} runs`,
        ["Started", "Run", "Language", "Status", "Duration", "Fuel", "Memory", "Denials"],
        shown.map((r) => [
          time(r.startedAt),
          h("a", { href: "#/runs/" + r.runId }, r.runId.slice(0, 8)),
          r.language || "",
          h("span", { class: "badge " + r.status }, r.status + (r.kind ? " · " + r.kind : "")),
          num(r.usage.wallMillis) + " ms",
          num(r.usage.fuel),
          bytes(r.usage.memoryPeakBytes),
          r.denials.length ? h("span", { class: "denied-count" }, String(r.denials.length)) : "0",
        ]),
        (i) => ({ "data-run": shown[i].runId }))
      : notice("info", "No runs match."));
  };
  for (const el of [status, kind, language, denied]) el.addEventListener("change", draw);
  draw();
  replace(main,
    h("h1", {}, "Runs"),
    h("p", { class: "hint" }, "This tenant's latest runs, newest first. A run's language is that of ",
      "the interpreter it ran (wasm: any other module)."),
    h("form", { class: "filters", role: "search", onsubmit: (e) => e.preventDefault() },
      field("Status", status), field("Language", language), field("Where", kind),
      h("label", { class: "check" }, denied, " with denials only")),
    list,
    usageCharts(runs));
}

export async function runPage(main, id) {
  replace(main, h("h1", {}, "Run"), notice("info", "Loading…"));
  const run = await api.call("GET", "/v1/runs/" + encodeURIComponent(id));
  const trail = await api.call("GET", "/v1/runs/" + encodeURIComponent(id) + "/audit");
  const records = String(trail).split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  replace(main,
    h("h1", {}, "Run ", h("code", {}, run.runId)),
    h("p", {}, "Started ", time(run.startedAt), ", ended ", time(run.endedAt),
      run.sessionId ? [" — in session ", h("a", { href: "#/sessions/" + run.sessionId },
        run.sessionId.slice(0, 8))] : null),
    outcome({ ...run, runId: null }),
    h("h2", {}, "Audit trail"),
    chain(records),
    timeline(records));
}

/** What the console can check of the chain from the API: the records' order and hashes. */
function chain(records) {
  const hashes = records.every((r) => /^[0-9a-f]{64}$/.test(r.hash || ""));
  let ordered = true;
  for (let i = 1; i < records.length; i++) {
    if (records[i].writer === records[i - 1].writer && records[i].seq <= records[i - 1].seq) {
      ordered = false;
    }
  }
  const sealed = records.some((r) => r.type === "run");
  return h("p", { class: "chain", id: "chain" },
    `${records.length} records; ` +
    (ordered && hashes ? "in chain order, each with its hash" : "NOT in chain order") +
    (sealed ? "; the outcome is sealed in the chain" : "; no sealed outcome record") +
    ". The chains' signatures are verified on the server: an admin key's Tenants page, or " +
    "airlock audit verify.");
}

/**
 * The records as a timeline: consecutive allowed calls of one function are grouped into one
 * entry; every denied call is its own entry, marked and with its rule.
 */
function timeline(records) {
  const groups = [];
  for (const r of records) {
    const last = groups[groups.length - 1];
    if (r.type === "call" && r.decision !== "deny" && last && last.type === "call" &&
        !last.denied && last.call === r.call) {
      last.items.push(r);
    } else {
      groups.push({ type: r.type, call: r.call, denied: r.decision === "deny", items: [r] });
    }
  }
  const start = records.length ? records[0].time : 0;
  return h("ol", { class: "timeline", id: "timeline" }, groups.map((g) => entry(g, start)));
}

function entry(g, start) {
  const r = g.items[0];
  const at = h("span", { class: "at" }, "+" + (r.time - start) + " ms");
  if (g.type === "call") {
    const n = g.items.length;
    const attrs = { class: "call" + (g.denied ? " denied" : ""), "data-call": r.call };
    if (g.denied) {
      attrs["data-rule"] = r.rule;
      attrs["aria-label"] = "Denied: " + r.call + " by rule " + r.rule;
    }
    return h("li", attrs, at,
      h("code", {}, r.call), n > 1 ? h("span", { class: "count" }, " ×" + n) : null,
      g.denied ? [" ", h("strong", { class: "rule" }, "denied by " + r.rule)] : null,
      h("span", { class: "args" }, " " + JSON.stringify(r.args || {}) +
        (n > 1 ? " …" : "") + " → " + r.result));
  }
  if (g.type === "run") {
    return h("li", { class: "sealed" }, at, h("strong", {}, "outcome sealed: "),
      r.status + (r.kind ? " (" + r.kind + ")" : "") + " — " + r.message);
  }
  return h("li", { class: "lifecycle" }, at, h("strong", {}, r.step || r.type),
    r.details ? h("span", { class: "args" }, " " + JSON.stringify(r.details)) : null);
}
