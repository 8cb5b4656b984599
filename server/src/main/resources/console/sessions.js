// Interpreter sessions: globals and files that persist between cells, snapshots, forks.
import * as api from "./api.js";
import { h, field, notice, replace, table, time } from "./dom.js";
import { execute } from "./run.js";

export async function sessionsPage(main) {
  const { sessions } = await api.call("GET", "/v1/sessions");
  const language = h("select", { id: "session-language" },
    h("option", { value: "python" }, "Python"), h("option", { value: "javascript" }, "JavaScript"));
  const status = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card", id: "new-session" },
    h("h2", {}, "New session"), field("Language", language),
    h("button", { type: "submit", class: "primary", id: "open-session" }, "Open"), status);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const s = await api.call("POST", "/v1/sessions", { language: language.value });
      location.hash = "#/sessions/" + s.id;
    } catch (e) {
      replace(status, notice("error", e.message));
    }
  });
  replace(main, h("h1", {}, "Sessions"),
    sessions.length
      ? table("Open sessions", ["Session", "Language", "Created", "Last used", "Snapshots"],
        sessions.map((s) => [h("a", { href: "#/sessions/" + s.id }, s.id.slice(0, 8)),
          s.language, time(s.createdAt), time(s.lastUsedAt), String(s.snapshots.length)]))
      : notice("info", "No open session."),
    form);
}

export async function sessionPage(main, id) {
  const base = "/v1/sessions/" + encodeURIComponent(id);
  let info = await api.call("GET", base);
  const status = h("div", { id: "session-status", "aria-live": "polite" });
  const say = (kind, text) => replace(status, notice(kind, text));
  const guard = (fn) => async (ev) => {
    if (ev) ev.preventDefault();
    try {
      await fn();
    } catch (e) {
      say("error", e.message);
    }
  };

  // cells, notebook style: each run keeps its code and its output
  const cells = h("ol", { class: "cells", id: "cells" });
  const code = h("textarea", { id: "cell-code", rows: 4, spellcheck: "false" });
  const runCell = h("form", { class: "card", id: "cell-form" },
    field("Code", code),
    h("button", { type: "submit", class: "primary", id: "run-cell" }, "Run cell"),
    h("small", { class: "hint" }, " Ctrl+Enter runs too"));
  const submit = guard(async () => {
    const out = h("div", { class: "cell-out" });
    cells.append(h("li", { class: "cell" }, h("pre", { class: "cell-code" }, code.value), out));
    const result = await execute(out, base + "/executions", { code: code.value });
    if (result) code.value = "";
    code.focus();
  });
  runCell.addEventListener("submit", submit);
  code.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) submit(ev);
  });

  // files
  const fileList = h("div", { id: "files" });
  const listFiles = async () => {
    const { files } = await api.call("GET", base + "/files");
    replace(fileList, files.length
      ? h("ul", {}, files.map((f) => h("li", {}, h("code", {}, f), " ",
        h("button", { type: "button", class: "link", onclick: guard(() => download(base, f)) },
          "Download"))))
      : h("p", {}, "No files under /workspace."));
  };
  const upFile = h("input", { type: "file", id: "upload-file" });
  const upPath = h("input", { type: "text", id: "upload-path", placeholder: "data/in.txt" });
  const upload = h("form", { class: "inline", id: "upload-form" },
    field("File", upFile), field("Path under /workspace", upPath),
    h("button", { type: "submit" }, "Upload"));
  upload.addEventListener("submit", guard(async () => {
    const f = upFile.files[0];
    if (!f) return say("error", "Choose a file first.");
    const path = (upPath.value.trim() || f.name).replace(/^\/?(workspace\/)?/, "");
    await api.putBytes(base + "/files/" + path.split("/").map(encodeURIComponent).join("/"),
      await f.arrayBuffer());
    say("info", "Uploaded " + path);
    await listFiles();
  }));

  // snapshots, restore, fork, close
  const snaps = h("select", { id: "snapshot-select", "aria-label": "Snapshot" });
  const drawSnaps = () => replace(snaps, info.snapshots.length
    ? info.snapshots.map((s) => h("option", { value: s }, s))
    : h("option", { value: "" }, "no snapshot yet"));
  drawSnaps();
  const actions = h("div", { class: "actions" },
    h("button", { type: "button", id: "snapshot", onclick: guard(async () => {
      const s = await api.call("POST", base + "/snapshots");
      info = await api.call("GET", base);
      drawSnaps();
      snaps.value = s.id;
      say("info", "Snapshot " + s.id + " taken");
    }) }, "Snapshot"),
    snaps,
    h("button", { type: "button", id: "restore", onclick: guard(async () => {
      if (!snaps.value) return say("error", "Take a snapshot first.");
      info = await api.call("POST", base + "/restore", { snapshotId: snaps.value });
      say("info", "Restored snapshot " + snaps.value);
      await listFiles();
    }) }, "Restore"),
    h("button", { type: "button", id: "fork", onclick: guard(async () => {
      const f = await api.call("POST", base + "/fork");
      location.hash = "#/sessions/" + f.id;
    }) }, "Fork"),
    h("button", { type: "button", id: "close-session", class: "danger", onclick: guard(async () => {
      await api.call("DELETE", base);
      location.hash = "#/sessions";
    }) }, "Close"));

  replace(main,
    h("h1", {}, "Session ", h("code", {}, info.id)),
    h("p", {}, info.language + " — opened " + time(info.createdAt) + ", closes when idle at " +
      time(info.expiresAt)),
    actions, status,
    h("h2", {}, "Cells"), cells, runCell,
    h("h2", {}, "Files"), fileList, upload);
  await listFiles();
  code.focus();
}

async function download(base, file) {
  const rel = file.replace(/^\/workspace\//, "");
  const blob = await api.getBlob(base + "/files/" + rel.split("/").map(encodeURIComponent).join("/"));
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: rel.split("/").pop() });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
