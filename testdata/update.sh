#!/usr/bin/env bash
# Rebuilds the zipped test corpora of this folder from upstream copies laid out as
#   SOURCE/wasm-spec/core-v2/NAME/{spec.json,spec.N.wasm}     (wast2json output of WebAssembly/testsuite)
#   SOURCE/wasi-testsuite/tests/{c,rust,assemblyscript}/...   (WebAssembly/wasi-testsuite, prod/testsuite-base)
#   SOURCE/sightglass/NAME/...                                (bytecodealliance/sightglass benchmarks)
# Each CORPUS.zip holds what is under SOURCE/CORPUS, less its LICENSE* and SOURCE-COMMIT.txt
# (kept unzipped beside it); the build unzips it into each module's target/testdata/CORPUS.
# Custom sections (debug info, names) are stripped from the WASI tests and Sightglass; timestamps are fixed and
# entries sorted so the same input gives the same zip.
# Usage: testdata/update.sh SOURCE
set -euo pipefail
src="${1:?usage: testdata/update.sh SOURCE}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

pack() { # pack CORPUS [strip]: $here/CORPUS/CORPUS.zip from $src/CORPUS, less the licence files
    local corpus="$1" strip="${2:-}"
    cp -r "$src/$corpus" "$work/$corpus"
    chmod -R u+w "$work/$corpus"
    rm -f "$work/$corpus"/LICENSE* "$work/$corpus"/SOURCE-COMMIT.txt
    if [ "$strip" = strip ]; then
        find "$work/$corpus" -name '*.wasm' -print0 | while IFS= read -r -d '' f; do
            python3 "$here/strip_custom_sections.py" "$f" "$f"
        done
    fi
    find "$work/$corpus" -exec touch -h -d '2026-01-01 00:00:00 UTC' {} +
    rm -f "$here/$corpus/$corpus.zip"
    (cd "$work/$corpus" && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort | zip -q -X -9 -@ "$here/$corpus/$corpus.zip")
    echo "$corpus/$corpus.zip: $(du -h "$here/$corpus/$corpus.zip" | cut -f1)"
}

pack wasm-spec        # as converted: its modules test custom sections and malformed binaries
pack wasi-testsuite strip
pack sightglass strip
