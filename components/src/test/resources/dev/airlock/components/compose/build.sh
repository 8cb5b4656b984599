#!/bin/sh
# Rebuilds the composition test components from their text format with jco (wasm-tools for node),
# from npm: needs node 18+ and the npm registry the first time. The .wasm files are committed;
# tests never run this.
set -eu
cd "$(dirname "$0")"
JCO_VERSION=1.35.0
jco() { npx --yes "@bytecodealliance/jco@$JCO_VERSION" "$@"; }
for name in secret time app loop tools counter-user; do
    jco parse "$name.wat" -o "$name.wasm"
    jco wit "$name.wasm"
done
