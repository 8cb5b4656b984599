// Small DOM helpers. Text is only ever set through text nodes and textContent: nothing a guest,
// a tenant or the server sends is parsed as HTML.

/**
 * Makes an element. attrs: attribute name to value (null/false: left out, true: present);
 * "on" + event names take listeners. children: nodes, strings (as text), arrays, null (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const svg = tag.startsWith("svg:");
  const el = svg
    ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
    : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (name === "style" || name.startsWith("on")) {
      throw new Error("inline styles and handlers are not allowed: " + name);
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

/** Appends children (nodes, text, arrays of them). */
export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Empties an element and fills it again. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A labelled form field: the label wraps its text and the control. */
export function field(label, control, hint) {
  return h("label", { class: "field" }, h("span", { class: "label" }, label), control,
    hint ? h("small", { class: "hint" }, hint) : null);
}

/** A table from column titles and rows (arrays of cells: nodes or text). */
export function table(caption, columns, rows, rowAttrs = () => ({})) {
  return h("div", { class: "table-wrap" },
    h("table", {},
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows.map((r, i) => h("tr", rowAttrs(i), r.map((c) => h("td", {}, c)))))));
}

/** A message box: role=alert for errors, role=status otherwise. */
export function notice(kind, text) {
  return h("p", { class: "notice " + kind, role: kind === "error" ? "alert" : "status" }, text);
}

const units = ["B", "KiB", "MiB", "GiB"];

/** Bytes as text: 1536 -> "1.5 KiB". */
export function bytes(n) {
  if (n === null || n === undefined) return "–";
  let i = 0;
  let v = Number(n);
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return (i === 0 ? v : v.toFixed(1)) + " " + units[i];
}

/** A number with thousands separators, or a dash. */
export function num(n) {
  return n === null || n === undefined ? "–" : Number(n).toLocaleString("en");
}

/** An ISO time as local "YYYY-MM-DD hh:mm:ss". */
export function time(t) {
  if (!t) return "–";
  const d = new Date(typeof t === "number" ? t : String(t));
  if (isNaN(d)) return String(t);
  const p = (x) => String(x).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
