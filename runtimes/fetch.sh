#!/usr/bin/env bash
# Downloads the sources named in runtimes/sources.txt into runtimes/.cache (git-ignored) and checks
# each against its SHA-256; a file already there with the right hash is kept. Nothing in the Maven
# build or the tests runs this: the built runtimes are committed (see runtimes/README.md).
# Usage: runtimes/fetch.sh [NAME...]     (default: all)   Mirror: DEBIAN_MIRROR (default below)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
mkdir -p "$here/.cache"
want=("$@")
while read -r name sha pool; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    if [[ ${#want[@]} -gt 0 ]] && ! printf '%s\n' "${want[@]}" | grep -qxF "$name"; then continue; fi
    file="$here/.cache/$name"
    if [[ -f "$file" ]] && echo "$sha  $file" | sha256sum -c --quiet - 2>/dev/null; then continue; fi
    url="$mirror/$pool/$(printf '%s' "$name" | sed 's/~/%7e/g')"
    echo "fetch: $name" >&2
    curl -fsSL --retry 3 -o "$file.part" "$url"
    echo "$sha  $file.part" | sha256sum -c --quiet - || { rm -f "$file.part"; echo "fetch: $name: wrong SHA-256" >&2; exit 1; }
    mv "$file.part" "$file"
done < "$here/sources.txt"
