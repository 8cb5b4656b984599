#!/usr/bin/env node
const { kebab, snake, camel } = require("tinycase");
const pkg = require("./package.json");

const text = process.argv.slice(2).join(" ") || "nothing given";
console.log(`${pkg.name} ${pkg.version}`);
console.log(JSON.stringify({ kebab: kebab(text), snake: snake(text), camel: camel(text) }));
if (require.main === module) console.log("main: yes");
