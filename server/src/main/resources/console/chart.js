// Usage charts drawn as inline SVG from the listed runs: no library, no canvas.
import { h } from "./dom.js";

const W = 600;
const H = 120;

/** Duration, fuel, memory and output of the latest runs (oldest left), and limits hit by kind. */
export function usageCharts(runs) {
  const recent = runs.slice(0, 40).reverse();
  const limits = {};
  for (const r of runs) {
    if (r.status === "limit") limits[r.kind || "?"] = (limits[r.kind || "?"] || 0) + 1;
  }
  return h("section", { class: "charts", "aria-label": "Usage" },
    h("h2", {}, "Usage of the latest runs"),
    bars("Duration (ms)", recent, (r) => r.usage.wallMillis, "chart-duration"),
    bars("Fuel", recent, (r) => r.usage.fuel || 0, "chart-fuel"),
    bars("Memory peak (bytes)", recent, (r) => r.usage.memoryPeakBytes, "chart-memory"),
    bars("Output (bytes)", recent, (r) => r.usage.stdoutBytes + r.usage.stderrBytes,
      "chart-output"),
    h("h3", {}, "Limits hit"),
    Object.keys(limits).length
      ? h("ul", { id: "limits-hit" },
        Object.entries(limits).map(([k, n]) => h("li", {}, h("code", {}, k), ": " + n)))
      : h("p", { id: "limits-hit" }, "None among these runs."));
}

function bars(title, runs, value, id) {
  const values = runs.map(value);
  const top = Math.max(0, ...values);
  const max = Math.max(1, top);
  const w = runs.length ? W / runs.length : W;
  const svg = h("svg:svg", {
    viewBox: `0 0 ${W} ${H}`, class: "chart", id, role: "img",
    "aria-label": `${title}: ${runs.length} runs, at most ${top.toLocaleString("en")}`,
    preserveAspectRatio: "none",
  },
  h("svg:line", { x1: 0, y1: H - 0.5, x2: W, y2: H - 0.5, class: "axis" }),
  runs.map((r, i) => {
    const bh = Math.max(values[i] > 0 ? 1 : 0, (values[i] / max) * (H - 4));
    return h("svg:rect", {
      x: (i * w + 1).toFixed(1), y: (H - bh).toFixed(1),
      width: Math.max(1, w - 2).toFixed(1), height: bh.toFixed(1),
      class: "bar " + r.status,
    }, h("svg:title", {}, `${r.runId.slice(0, 8)}: ${values[i].toLocaleString("en")}`));
  }));
  const caption = top ? title + " — max " + top.toLocaleString("en") : title + " — none";
  return h("figure", {}, h("figcaption", {}, caption), svg);
}
