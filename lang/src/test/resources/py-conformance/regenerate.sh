#!/usr/bin/env bash
# Regenerates each NAME.out (the expected stdout of NAME.py) with a native CPython, by default the
# python3 on PATH (PYTHON=... to choose another). The committed files were made with CPython 3.13.5
# built natively from the same source as Airlock's (runtimes/python/build.sh leaves it at
# runtimes/.cache/build-python/python), since outputs differ between Python versions. PyConformanceTest runs every NAME.py in Airlock's
# Python and compares its stdout with NAME.out; the differences it tolerates are listed there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
py="${PYTHON:-python3}"
for f in *.py; do
    (cd "$(mktemp -d)" && PYTHONHASHSEED=0 TZ=UTC "$py" -I "$OLDPWD/$f") > "${f%.py}.out"
done
"$py" --version
