#!/usr/bin/env bash
# Sourced by the runtime builds: checks for Debian 12's clang-19, wasm-ld-19 and the wasm32
# compiler runtime (apt-get install -y clang-19 lld-19 libclang-rt-19-dev-wasm32), unpacks Debian 13's
# wasi-libc (newer than Debian 12's, which predates what CPython 3.13 needs) into
# runtimes/.cache/wasi-libc, and exports CC, AR, RANLIB, NM, SYSROOT and TARGET.
set -euo pipefail
rt_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for tool in clang-19 wasm-ld-19 llvm-ar-19 llvm-ranlib-19 llvm-nm-19; do
    command -v "$tool" >/dev/null || { echo "toolchain: $tool missing: apt-get install -y clang-19 lld-19 llvm-19 libclang-rt-19-dev-wasm32" >&2; exit 1; }
done
"$rt_here/fetch.sh" wasi-libc_0.0~git20241209.574b88d-2_all.deb
export SYSROOT="$rt_here/.cache/wasi-libc/usr"
if [[ ! -f "$SYSROOT/.done" ]]; then
    rm -rf "$rt_here/.cache/wasi-libc"
    dpkg-deb -x "$rt_here/.cache/wasi-libc_0.0~git20241209.574b88d-2_all.deb" "$rt_here/.cache/wasi-libc"
    touch "$SYSROOT/.done"
fi
# Debian's wasi-libc names the wasip1 target wasm32-wasi (include/wasm32-wasi, lib/wasm32-wasi)
export TARGET=wasm32-wasi
export CC="clang-19 --target=$TARGET --sysroot=$SYSROOT"
export AR=llvm-ar-19 RANLIB=llvm-ranlib-19 NM=llvm-nm-19
export SOURCE_DATE_EPOCH=0
