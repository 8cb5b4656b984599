"use strict";
// A tiny case-conversion library (written for Airlock's tests).
const words = require("./words");

exports.kebab = (s) => words(s).join("-");
exports.snake = (s) => words(s).join("_");
exports.camel = (s) =>
  words(s).map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join("");
