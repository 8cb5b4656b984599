#!/usr/bin/env bash
# Rebuilds the WASI 0.2 test components: probe.wasm from probe.c (clang-19 for wasm32-wasi, see
# runtimes/toolchain.sh, then jco's preview 1 command adapter), the hostile ones from their text.
# Needs node 18+ and the npm registry the first time. The .wasm files are committed; tests never
# run this.
set -euo pipefail
cd "$(dirname "$0")"
JCO_VERSION=1.35.0
jco() { npx --yes "@bytecodealliance/jco@$JCO_VERSION" "$@"; }
source ../../../../../../../../runtimes/toolchain.sh
$CC -O2 -s -o probe.core.wasm probe.c
jco new probe.core.wasm --wasi-command -o probe.wasm
rm probe.core.wasm
for name in sockets unknown http; do
    jco parse "$name.wat" -o "$name.wasm"
done
for name in probe sockets unknown http; do
    jco wit "$name.wasm"
done
