// Installed skills (read-only), and tenants and keys for admin keys.
import * as api from "./api.js";
import { h, notice, replace, table, time, bytes, num } from "./dom.js";

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
    table("Keys", ["Key", "Tenant", "Admin", "Label", "Created", "Revoked"],
      keys.map((k) => [h("code", {}, k.keyId), k.tenant, k.admin ? "yes" : "no", k.label || "–",
        time(k.createdAt), k.revokedAt ? time(k.revokedAt) : "–"])),
    h("p", { class: "hint" }, "Creating tenants and keys, and revoking keys, is done with ",
      h("code", {}, "airlock tenants"), " and ", h("code", {}, "airlock keys"),
      " or the admin API for now."),
    verification());
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
