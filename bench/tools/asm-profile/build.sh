#!/usr/bin/env bash
# Builds hsdis-amd64.so (HotSpot's disassembler plugin) from hsdis-capstone.c beside this script,
# on Debian's Capstone: apt-get install -y gcc libcapstone-dev. Writes it to target/ here; pass the
# JVM -XX:+UnlockDiagnosticVMOptions and put the folder on LD_LIBRARY_PATH (profile.sh does both).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$here/target"
gcc -O2 -shared -fPIC -Wall -o "$here/target/hsdis-amd64.so" "$here/hsdis-capstone.c" -lcapstone
echo "$here/target/hsdis-amd64.so"
