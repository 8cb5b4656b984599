#!/usr/bin/env bash
# A dispatch profile of an interpreter image, for measurements (bench/README, session 44):
#
#   bench/tools/dispatch-profile/profile.sh js|python OUT.txt [PROGRAM...]
#
# Runs each PROGRAM (default: train.js or train.py beside this script, agents' kinds of code and
# not the benchmarks a profile is measured on) RUNS times (default 3) with `airlock js` or
# `airlock py`, each in a fresh JVM with HotSpot's method data printed at exit and any profile
# the image carries ignored (-Dairlock.split.profile=none); mdo.py sums how often each value of the
# image's big switches was taken into OUT.txt. Measure with -Dairlock.split.profile=OUT.txt (every
# module then uses it; `none` for no profile at all); `section.py set IMAGE OUT.txt` puts it into a
# module as its own "airlock.dispatch-profile" section instead.
#
# Needs the CLI jar (./mvnw -o -q install -DskipTests). The counts come from the JVM's interpreter
# and its profiling tier only (once C2 has compiled a function, its switch is no longer counted),
# so they sample the first seconds of each run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
jar="$repo/cli/target/airlock.jar"
runs="${RUNS:-3}"
[ $# -ge 2 ] || { sed -n '2,16p' "$0" >&2; exit 2; }
lang="$1"; out="$2"; shift 2
case "$lang" in
  js) cmd=js; image="$repo/lang/src/main/resources/dev/airlock/lang/js/airlock-js.wasm"; programs=("$here/train.js") ;;
  python) cmd=py; image="$repo/lang/src/main/resources/dev/airlock/lang/python/airlock-python.wasm"; programs=("$here/train.py") ;;
  *) echo "unknown language: $lang (js or python)" >&2; exit 2 ;;
esac
[ $# -eq 0 ] || programs=("$@")
[ -f "$jar" ] || { echo "no $jar: run ./mvnw -o -q install -DskipTests first" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mdos=()
for program in "${programs[@]}"; do
  for ((i = 1; i <= runs; i++)); do
    echo "$lang: $(basename "$program"), run $i of $runs" >&2
    mdo="$tmp/mdo-${#mdos[@]}.txt"
    if ! java -Xss16m -XX:-DontCompileHugeMethods -Dairlock.split.profile=none \
        -XX:+UnlockDiagnosticVMOptions -XX:+PrintMethodData \
        -jar "$jar" "$cmd" --timeout 600s --data "$tmp/data" --cache-dir "$tmp/cache" \
        --no-store "$program" > "$mdo"; then
      echo "$lang: $program failed" >&2
      exit 1
    fi
    mdos+=("$mdo")
  done
done
python3 "$here/mdo.py" --below "$(python3 "$here/section.py" functions "$image")" "${mdos[@]}" > "$out"
echo "$lang: $(wc -l < "$out") switch(es) profiled into $out" >&2
