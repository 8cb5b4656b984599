#!/usr/bin/env bash
# Installs the reference engines that bench/speed compares Airlock with, inside the repository
# (both git-ignored), so that a later developer can rerun it:
#   bench/.venv               Python venv with wasmtime==49.0.0 (pip: a local wheel on these machines)
#   bench/.tools/qjs          native QuickJS, built with the C compiler from the same pinned source as
#                             the interpreter behind `airlock js` (runtimes/sources.txt: Bellard's
#                             QuickJS 2025-04-26 from Debian's archive, fetched by runtimes/fetch.sh),
#                             with the runtime's engine patches (runtimes/quickjs/patches/02-* and later); rebuilt
#                             when they change
# Usage: bench/tools/setup.sh [wasmtime] [quickjs]          (default: both)
# Nothing here runs during the Maven build or tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench="$root/bench"
what=("$@"); [[ ${#what[@]} -eq 0 ]] && what=(wasmtime quickjs)

setup_wasmtime() {
    if [[ -x "$bench/.venv/bin/python" ]] && "$bench/.venv/bin/python" -c 'import wasmtime' 2>/dev/null; then
        echo "wasmtime: already in bench/.venv"; return
    fi
    python3 -m venv "$bench/.venv"
    "$bench/.venv/bin/pip" install -q wasmtime==49.0.0
    "$bench/.venv/bin/python" -c 'import wasmtime, importlib.metadata as m; print("wasmtime: installed", m.version("wasmtime"))'
}

# The patches of the runtime that change how QuickJS itself runs JavaScript (02 and later), applied
# to the native reference too, so that it stays the same engine (01-airlock.patch is the sandbox's
# own: WASI, limits, the driver's hooks, and is not).
shopt -s nullglob
engine_patches=("$root"/runtimes/quickjs/patches/0[2-9]-*.patch)
shopt -u nullglob

setup_quickjs() {
    local out="$bench/.tools" name="quickjs_2025.04.26.orig.tar.xz" tmp stamp
    stamp="$(cat /dev/null "${engine_patches[@]}" | sha256sum | cut -d' ' -f1)"
    if [[ -x "$out/qjs" && "$(cat "$out/qjs.patches" 2>/dev/null)" == "$stamp" ]]; then
        echo "quickjs: already built: $out/qjs ($("$out/qjs" -e 'print("ok")' 2>&1))"; return
    fi
    command -v cc >/dev/null && command -v make >/dev/null || { echo "quickjs: needs cc and make (apt-get install -y build-essential)" >&2; return 1; }
    "$root/runtimes/fetch.sh" "$name"
    tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' RETURN
    tar -xf "$root/runtimes/.cache/$name" -C "$tmp"
    for p in "${engine_patches[@]}"; do patch -d "$tmp"/quickjs-* -p1 --quiet < "$p"; done
    make -C "$tmp"/quickjs-* -j "$(nproc)" qjs >/dev/null
    mkdir -p "$out"; cp "$tmp"/quickjs-*/qjs "$out/qjs"; echo "$stamp" > "$out/qjs.patches"
    echo "quickjs: built $out/qjs with ${#engine_patches[@]} engine patch(es) ($("$out/qjs" -e 'print("ok")' 2>&1))"
}

for w in "${what[@]}"; do
    case "$w" in
        wasmtime) setup_wasmtime ;;
        quickjs) setup_quickjs ;;
        *) echo "unknown: $w (wasmtime|quickjs)" >&2; exit 2 ;;
    esac
done
