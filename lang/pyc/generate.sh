#!/usr/bin/env bash
# Regenerates lang/src/main/resources/dev/airlock/lang/stdlib.pycs: the Python image's standard
# library compiled to bytecode by the image itself (see generate.py). Run it after changing the
# trino-wasm-python version; PycCacheTest fails while the file is stale.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$root/airlock" py --no-store --timeout 30m --memory 1GiB --fs-quota 256MiB \
    --mount "$out:/out:rw" "$here/generate.py"
cp "$out/stdlib.pycs" "$root/lang/src/main/resources/dev/airlock/lang/stdlib.pycs"
