#!/bin/sh
# Rebuilds the test components from their text format with jco (wasm-tools built for node), from
# npm: needs node 18+ and network access to the npm registry the first time. The .wasm files are
# committed; tests never run this.
set -eu
cd "$(dirname "$0")"
JCO_VERSION=1.35.0
jco() { npx --yes "@bytecodealliance/jco@$JCO_VERSION" "$@"; }
for name in types imports; do
    jco parse "$name.wat" -o "$name.wasm"
    # validates it (wit fails on an invalid component) and shows its world
    jco wit "$name.wasm"
done
