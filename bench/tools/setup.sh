#!/usr/bin/env bash
# Installs the reference engines that bench/speed compares Airlock with, inside the repository
# (both git-ignored), so that a later developer can rerun it:
#   bench/.venv               Python venv with wasmtime==49.0.0 (pip: a local wheel on these machines)
#   bench/.tools/qjs          native QuickJS (quickjs-ng), built from source with the C compiler
# Usage: bench/tools/setup.sh [wasmtime] [quickjs]          (default: both)
# quickjs-ng's source is taken, in this order, from:
#   QUICKJS_NG_SRC=DIR        a source tree (with quickjs.c and CMakeLists.txt), or a git directory
#                             (bare or not; the tag QUICKJS_NG_REF, default v0.16.2, else HEAD);
#   `apt-get install quickjs` is NOT used: Debian 12 has no such package (Debian 13 has Bellard's
#                             QuickJS, not quickjs-ng);
#   otherwise nothing: the script says what to set (these machines reach no source host).
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

setup_quickjs() {
    local out="$bench/.tools" ref="${QUICKJS_NG_REF:-v0.16.2}" src tmp
    if [[ -x "$out/qjs" ]]; then echo "quickjs: already built: $out/qjs ($("$out/qjs" -e 'print("ok")' 2>&1))"; return; fi
    command -v cc >/dev/null && command -v cmake >/dev/null || { echo "quickjs: needs cc and cmake (apt-get install -y build-essential cmake)" >&2; return 1; }
    tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' RETURN
    src="${QUICKJS_NG_SRC:-}"
    if [[ -n "$src" && -f "$src/quickjs.c" ]]; then
        cp -r "$src" "$tmp/src"
    elif [[ -n "$src" ]] && { [[ -d "$src/.git" ]] && src="$src/.git"; git --git-dir="$src" rev-parse -q --verify HEAD >/dev/null 2>&1; }; then
        local gd="$src"
        git --git-dir="$gd" rev-parse -q --verify "$ref^{commit}" >/dev/null || ref=HEAD
        mkdir "$tmp/src"; git --git-dir="$gd" archive "$ref" | tar -x -C "$tmp/src"
        echo "quickjs: source from $gd at $ref"
    else
        echo "quickjs: no source (set QUICKJS_NG_SRC to a quickjs-ng source tree or git directory)" >&2
        return 1
    fi
    cmake -S "$tmp/src" -B "$tmp/build" -G "$(command -v ninja >/dev/null && echo Ninja || echo 'Unix Makefiles')" \
        -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF >/dev/null
    cmake --build "$tmp/build" --target qjs -j "$(nproc)" >/dev/null
    mkdir -p "$out"; cp "$tmp/build/qjs" "$out/qjs"
    echo "quickjs: built $out/qjs ($("$out/qjs" -e 'print("ok")' 2>&1))"
}

for w in "${what[@]}"; do
    case "$w" in
        wasmtime) setup_wasmtime ;;
        quickjs) setup_quickjs ;;
        *) echo "unknown: $w (wasmtime|quickjs)" >&2; exit 2 ;;
    esac
done
