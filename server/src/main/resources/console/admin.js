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
      " or the admin API for now."));
}
