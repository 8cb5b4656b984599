// A JavaScript skill. Input: JSON on stdin (read with Javy.IO.readSync: QuickJS has no process or
// file API); tool name: the global AIRLOCK_TOOL; result: JSON on stdout (console.log).
function readStdin() {
  const chunks = [];
  let total = 0;
  for (;;) {
    const buf = new Uint8Array(4096);
    const n = Javy.IO.readSync(0, buf);
    if (n <= 0) break;
    chunks.push(buf.subarray(0, n));
    total += n;
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(all);
}

const input = JSON.parse(readStdin());
if (AIRLOCK_TOOL !== "slugify") {
  throw new Error("unknown tool " + AIRLOCK_TOOL);
}
const slug = input.text
  .normalize("NFKD")
  .replace(/[\u0300-\u036f]/g, "")
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, input.separator || "-")
  .replace(/^[-_]+|[-_]+$/g, "");
console.log(JSON.stringify({ slug }));
