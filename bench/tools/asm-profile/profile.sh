#!/usr/bin/env bash
# An instruction-level profile of compiled guest code (bench/README, session 46):
#
#   bench/tools/asm-profile/profile.sh OUT PATTERN DELAY SECONDS -- JAVA-ARGS...
#
# Runs `java JAVA-ARGS` with the machine code of every method matching PATTERN (a CompileCommand
# pattern such as '*.func_32') printed into OUT/asm.txt, waits DELAY seconds (the warm-up), then
# samples the process with perf for SECONDS and writes each sample's address to OUT/ips.txt;
# annotate.py OUT then counts the samples per instruction of the printed code. Needs perf, and
# hsdis (build.sh). Guest classes are compiled in the process, so their addresses are the process's
# own: a profile and its listing must come from the same run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ $# -ge 5 ] && [ "$5" = "--" ] || { sed -n '2,12p' "$0" >&2; exit 2; }
out="$1"; pattern="$2"; delay="$3"; seconds="$4"; shift 5
[ -f "$here/target/hsdis-amd64.so" ] || "$here/build.sh" >/dev/null
mkdir -p "$out"
LD_LIBRARY_PATH="$here/target${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" java \
    -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=quiet "-XX:CompileCommand=print,$pattern" \
    -XX:+DumpPerfMapAtExit "$@" > "$out/asm.txt" 2> "$out/stderr.txt" &
pid=$!
sleep "$delay"
perf record -F 1999 -p "$pid" -o "$out/perf.data" -- sleep "$seconds" > /dev/null 2>&1 || true
wait "$pid" || true
perf script -i "$out/perf.data" -F ip,sym 2>/dev/null > "$out/ips.txt"
echo "$out: $(wc -l < "$out/ips.txt") samples; python3 $here/annotate.py $out"
