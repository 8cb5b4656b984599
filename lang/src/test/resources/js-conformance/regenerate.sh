#!/usr/bin/env bash
# Regenerates the expected stdout of every conformance program with Node 20 (node NAME.js > NAME.out).
# Usage: lang/src/test/resources/js-conformance/regenerate.sh   (needs node 20 on the PATH)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
node --version | grep -q '^v20\.' || { echo "regenerate.sh: needs Node 20, found $(node --version)" >&2; exit 1; }
for js in *.js; do
    node "$js" > "${js%.js}.out" 2>/dev/null || true
done
