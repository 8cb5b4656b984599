#!/usr/bin/env node
// An ES module app: named, default and namespace imports, re-exports, a package with an
// "exports" map, a CommonJS package imported from ESM, dynamic import and import.meta.
import { readFileSync } from "node:fs";
import path from "path";
import * as maths from "./lib/maths.js";
import Counter, { count, bump, LIMIT as limit } from "./lib/counter.js";
import * as counter from "./lib/counter.js";
import { area, describe } from "shapes";
import { version } from "shapes/version";
import old, { greet } from "oldlib";
import config from "./config.json" with { type: "json" };
import "./lib/side-effect.js";

const label = `sum=${maths.sum(1, 2, 3)} product=${maths.product(2, 3, 4)}`;
console.log(label, Object.keys(maths).sort().join(","));
console.log("counter", count, bump(), bump(), counter.count, limit);
const c = new Counter(5);
console.log("class", c.next(), c.next(), typeof Counter);
console.log("shapes", area({ kind: "square", side: 3 }), describe("circle"), version);
console.log("cjs", greet("esm"), typeof old, old.answer);
console.log("json", config.name, config.items.length);
console.log("fs", readFileSync("data.txt", "utf8").trim(), path.basename("/a/b/c.txt"));
console.log("meta", path.basename(new URL(import.meta.url).pathname));
const re = /import\s+x from "y"/;
console.log("regex", re.test('import x from "y"'), "export default".length);
import("./lib/late.mjs").then((m) => {
  console.log("dynamic", m.default(), m.late);
  return import("oldlib");
}).then((ns) => console.log("dynamic cjs", ns.default.answer, ns.greet("x")));
