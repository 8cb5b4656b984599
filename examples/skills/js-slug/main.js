// A JavaScript skill. Input: JSON on stdin (read with airlock.readStdin()); tool name: the global
// AIRLOCK_TOOL; result: JSON on stdout (console.log).

const input = JSON.parse(airlock.readStdin());
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
