// Installed skills (read-only), and tenants and keys for admin keys.
import * as api from "./api.js";
import { h, field, notice, replace, table, time, bytes, num } from "./dom.js";

export async function skillsPage(main) {
  const { skills } = await api.call("GET", "/v1/skills");
  replace(main, h("h1", {}, "Skills"),
    skills.length
      ? table("Installed skills this key sees", ["Skill", "Version", "Kind", "Tools", "Publisher"],
        skills.map((s) => [
          h("span", {}, h("strong", {}, s.name), s.description ? h("br") : null,
            s.description ? h("small", {}, s.description) : null),
          s.version, s.kind || "–",
          (s.tools || []).map((t) => t.name).join(", ") || "–",
          h("code", { title: s.fingerprint || "" }, s.publisher || "–"),
        ]))
      : notice("info", "No skill is installed for this tenant."));
}

export async function adminPage(main) {
  let tenants;
  let keys;
  try {
    ({ tenants } = await api.call("GET", "/v1/admin/tenants"));
    ({ keys } = await api.call("GET", "/v1/admin/keys"));
  } catch (e) {
    if (e.status === 403) {
      replace(main, h("h1", {}, "Tenants"), notice("info", "This key is not an admin key."));
      return;
    }
    throw e;
  }
  const limit = (t, k) => (t.limits && t.limits[k] !== undefined ? t.limits[k] : null);
  // the timeout comes as seconds (a number) or an ISO duration, as the server writes it
  const secs = (v) => (v === null ? "–" : typeof v === "number" ? num(v) + " s" : String(v));
  replace(main, h("h1", {}, "Tenants and keys"),
    table("Tenants", ["Tenant", "Created", "Max timeout", "Max memory", "Runs at once",
      "Runs / min"],
      tenants.map((t) => [t.name, time(t.createdAt), secs(limit(t, "maxTimeout")),
        bytes(limit(t, "maxMemoryBytes")), num(limit(t, "maxConcurrentRuns")),
        num(limit(t, "maxRunsPerMinute"))])),
    table("Keys", ["Key", "Tenant", "Admin", "Label", "Created", "Revoked", ""],
      keys.map((k) => [h("code", {}, k.keyId), k.tenant, k.admin ? "yes" : "no", k.label || "–",
        time(k.createdAt), k.revokedAt ? time(k.revokedAt) : "–",
        k.revokedAt ? "" : h("button", {
          type: "button", class: "revoke", "data-key": k.keyId,
          "aria-label": "Revoke key " + k.keyId,
          onclick: () => revoke(main, k.keyId),
        }, "Revoke")])),
    limitsForm(main, tenants),
    keyForm(main, tenants),
    verification());
}

/**
 * A tenant's ceilings and quotas (PUT /v1/admin/tenants/{name}): an empty field keeps its value, a
 * value the API refuses is shown as its error. Sizes in MiB, the timeout in milliseconds.
 */
function limitsForm(main, tenants) {
  const out = h("div", { id: "limits-result", "aria-live": "polite" });
  const tenant = h("select", { id: "limits-tenant", name: "tenant" },
    tenants.map((t) => h("option", { value: t.name }, t.name)));
  const number = (id, hint) =>
    h("input", { id, type: "number", step: 1, inputmode: "numeric", placeholder: hint });
  const fields = {
    maxTimeoutMs: [number("limits-timeout", "ms"), 1],
    maxMemoryBytes: [number("limits-memory", "MiB"), 1 << 20],
    maxOutputBytes: [number("limits-output", "MiB"), 1 << 20],
    maxFuel: [number("limits-fuel", "instructions"), 1],
    maxConcurrentRuns: [number("limits-concurrent", "runs"), 1],
    maxRunsPerMinute: [number("limits-rate", "runs"), 1],
  };
  const form = h("form", { id: "tenant-limits", onsubmit: async (ev) => {
    ev.preventDefault();
    const body = {};
    for (const [k, [el, scale]] of Object.entries(fields)) {
      if (el.value !== "") body[k] = Math.round(Number(el.value) * scale);
    }
    if (!Object.keys(body).length) {
      replace(out, notice("error", "Fill in at least one limit to change."));
      return;
    }
    try {
      await api.call("PUT", "/v1/admin/tenants/" + encodeURIComponent(tenant.value), body);
      const name = tenant.value;
      await adminPage(main);
      replace(document.getElementById("limits-result"),
        notice("ok", "Limits of " + name + " saved."));
    } catch (e) {
      replace(out, notice("error", e.message));
    }
  } },
  field("Tenant", tenant),
  h("div", { class: "inline" },
    field("Max timeout (ms)", fields.maxTimeoutMs[0]),
    field("Max memory (MiB)", fields.maxMemoryBytes[0]),
    field("Max output (MiB)", fields.maxOutputBytes[0]),
    field("Max fuel", fields.maxFuel[0]),
    field("Runs at once", fields.maxConcurrentRuns[0]),
    field("Runs / min", fields.maxRunsPerMinute[0])),
  h("p", { class: "hint" }, "Empty fields keep their value."),
  h("button", { type: "submit", id: "save-limits" }, "Save limits"));
  return h("section", {}, h("h2", {}, "Tenant limits"), form, out);
}

/**
 * A new tenant (with the server's default limits) or a new key for a tenant; the key's secret is
 * shown once, in this page only (never stored by the console).
 */
function keyForm(main, tenants) {
  const out = h("div", { id: "new-key-result", "aria-live": "polite" });
  const tenant = h("input", { id: "new-key-tenant", name: "tenant", required: true,
    autocomplete: "off", list: "tenant-names", pattern: "[a-z0-9][a-z0-9-]*" });
  const names = h("datalist", { id: "tenant-names" }, tenants.map((t) => h("option", { value: t.name })));
  const label = h("input", { id: "new-key-label", name: "label", autocomplete: "off" });
  const admin = h("input", { id: "new-key-admin", name: "admin", type: "checkbox" });
  const form = h("form", { id: "new-key", onsubmit: async (ev) => {
    ev.preventDefault();
    const name = tenant.value.trim();
    try {
      const k = await api.call("POST", "/v1/admin/tenants/" + encodeURIComponent(name) + "/keys",
        { label: label.value || null, admin: admin.checked });
      await adminPage(main);
      const shown = document.getElementById("new-key-result");
      replace(shown, notice("ok", `Key ${k.keyId} for ${k.tenant}: copy its secret now, it is not shown again.`),
        h("pre", { id: "new-key-secret", class: "output" }, k.secret));
    } catch (e) {
      replace(out, notice("error", e.message));
    }
  } },
  field("Tenant", tenant, "a new name creates the tenant with the default limits"), names,
  field("Label", label), field("Admin key", admin),
  h("button", { type: "submit", id: "create-key" }, "Create key"));
  return h("section", {}, h("h2", {}, "New key"), form, out);
}

async function revoke(main, keyId) {
  if (!window.confirm("Revoke key " + keyId + "? Clients using it are refused at once.")) return;
  try {
    await api.call("DELETE", "/v1/admin/keys/" + encodeURIComponent(keyId));
    await adminPage(main);
  } catch (e) {
    main.prepend(notice("error", e.message));
  }
}

/** The audit chains' verification, on request: it reads the whole trail. */
function verification() {
  const out = h("div", { id: "verification", "aria-live": "polite" });
  const button = h("button", { type: "button", id: "verify-audit" }, "Verify the audit chains");
  button.addEventListener("click", async () => {
    button.disabled = true;
    replace(out, notice("info", "Verifying…"));
    try {
      const v = await api.call("GET", "/v1/admin/audit/verification");
      replace(out,
        notice(v.intact ? "ok" : "error", v.intact
          ? `Intact: every chain verifies and ${num(v.runsChecked)} runs match their sealed outcomes` +
            (v.crashed ? " (a writer stopped uncleanly; its tail was recovered or is unsealed)." : ".")
          : "NOT intact: " + [...v.writers.filter((w) => w.broken).map((w) =>
              `chain ${w.writer} broken at record ${w.brokenSeq}: ${w.reason}`), ...v.runFaults]
            .join("; ")),
        table("Chains", ["Writer", "Records", "Sealed up to", "State"],
          v.writers.map((w) => [h("code", {}, w.writer), num(w.records), num(w.sealedUpTo),
            h("span", { class: "badge " + (w.broken ? "trap" : "ok") },
              w.broken ? "broken" : w.crashed ? "crashed" : w.unsealed ? "tail unsealed" : "ok")])));
    } catch (e) {
      replace(out, notice("error", e.message));
    } finally {
      button.disabled = false;
    }
  });
  return h("section", {}, h("h2", {}, "Audit"), button, out);
}
