// The console's shell: hash routing, the login page, the theme and the navigation.
import * as api from "./api.js";
import { h, field, notice, replace } from "./dom.js";
import { runPage } from "./run.js";
import { runsPage, runPage as runDetailPage } from "./runs.js";
import { sessionsPage, sessionPage } from "./sessions.js";
import { skillsPage, adminPage } from "./admin.js";

const main = document.getElementById("main");
const nav = document.getElementById("nav");
const ADMIN = "airlock.admin";

const routes = [
  [/^#\/login$/, () => { location.hash = "#/run"; }],
  [/^#\/run$/, () => runPage(main)],
  [/^#\/runs$/, () => runsPage(main)],
  [/^#\/runs\/([\w.-]+)$/, (m) => runDetailPage(main, m[1])],
  [/^#\/sessions$/, () => sessionsPage(main)],
  [/^#\/sessions\/([\w.-]+)$/, (m) => sessionPage(main, m[1])],
  [/^#\/skills$/, () => skillsPage(main)],
  [/^#\/admin$/, () => adminPage(main)],
];

async function route() {
  const hash = location.hash || "#/run";
  if (!api.key()) {
    showNav(false);
    return loginPage();
  }
  showNav(true);
  for (const a of nav.querySelectorAll("a")) {
    const here = hash === a.getAttribute("href") || hash.startsWith(a.getAttribute("href") + "/");
    if (here) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  const found = routes.find(([re]) => re.test(hash));
  try {
    if (found) await found[1](hash.match(found[0]));
    else replace(main, h("h1", {}, "Not found"), notice("error", "No page " + hash));
  } catch (e) {
    if (e instanceof api.ApiError && e.status === 401) return route();
    main.append(notice("error", e.message));
  }
  main.focus({ preventScroll: true });
}

function showNav(on) {
  nav.hidden = !on;
  document.getElementById("logout").hidden = !on;
  document.getElementById("nav-admin").hidden = !(on && sessionStorage.getItem(ADMIN) === "1");
}

function loginPage() {
  const input = h("input", {
    type: "password", id: "key", name: "key", required: true, autocomplete: "off",
    spellcheck: "false",
  });
  const status = h("div", { id: "login-status", "aria-live": "polite" });
  const form = h("form", { class: "card narrow", id: "login" },
    h("h1", {}, "Log in"),
    h("p", {}, "Enter an API key. It stays in this tab only (sessionStorage) and is sent to ",
      "this server's API in the Authorization header."),
    field("API key", input),
    h("button", { type: "submit", class: "primary" }, "Log in"),
    status);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const k = input.value.trim();
    replace(status, notice("info", "Checking the key…"));
    try {
      await api.call("GET", "/v1/sessions", undefined, { key: k });
    } catch (e) {
      const why = e.status === 401 ? "The key was refused (401): " + e.message : e.message;
      replace(status, notice("error", why));
      input.focus();
      return;
    }
    api.setKey(k);
    // the admin pages only where the API lets this key in; a 403 hides them
    let admin = false;
    try {
      await api.call("GET", "/v1/admin/tenants");
      admin = true;
    } catch (e) {
      admin = false;
    }
    sessionStorage.setItem(ADMIN, admin ? "1" : "0");
    if (!location.hash || location.hash === "#/login") location.hash = "#/run";
    else route();
  });
  replace(main, form);
  input.focus();
}

function logout() {
  api.setKey(null);
  sessionStorage.removeItem(ADMIN);
  location.hash = "#/login";
  route();
}

const THEME = "airlock.theme";

function applyTheme(theme) {
  const root = document.documentElement;
  if (theme) root.dataset.theme = theme;
  else delete root.dataset.theme;
  const dark = theme ? theme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  const button = document.getElementById("theme");
  button.setAttribute("aria-pressed", String(dark));
  button.textContent = dark ? "Light theme" : "Dark theme";
}

document.getElementById("theme").addEventListener("click", () => {
  const dark = document.getElementById("theme").getAttribute("aria-pressed") === "true";
  const next = dark ? "light" : "dark";
  localStorage.setItem(THEME, next);
  applyTheme(next);
});
document.getElementById("logout").addEventListener("click", logout);
window.addEventListener("hashchange", route);
applyTheme(localStorage.getItem(THEME));
route();
