#!/usr/bin/env bash
# Start time of a box against python3 / node starting the same app, interleaved, median of N runs
# each (wall time of the whole command, JVM start included for airlock). Also the box without its
# kept image (removed before each run: the run restores the interpreter's image, writes the box's
# files and runs the warm-up again).
# Usage: bench/box/start.sh [N]   (from the repository root; builds ./airlock's jar on first use)
set -euo pipefail
N=${1:-10}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
APPS=$ROOT/cli/src/test/resources/box
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export AIRLOCK_DATA=$WORK/data
A=$ROOT/airlock
"$A" skill keys create bench --trust >/dev/null
"$A" box build "$APPS/wordcount" -o "$WORK/wc.box" --key bench >/dev/null 2>&1
"$A" box build "$APPS/nodeslug/app" --packages "$APPS/nodeslug/packages" -o "$WORK/slug.box" --key bench >/dev/null 2>&1
mkdir -p "$WORK/slug/node_modules"
cp "$APPS"/nodeslug/app/* "$WORK/slug/"
cp -r "$APPS/nodeslug/packages/tinycase" "$WORK/slug/node_modules/"
C=--cache-dir=$WORK/cache
"$A" py $C -c pass >/dev/null            # the interpreter's own image
ls "$WORK/cache/images" > "$WORK/before"
"$A" box run $C "$WORK/wc.box" >/dev/null   # makes the box's kept image
ls "$WORK/cache/images" | grep -vxFf "$WORK/before" | grep '^image-' | sed "s|^|$WORK/cache/images/|" > "$WORK/box-images"
"$A" box run $C "$WORK/slug.box" >/dev/null
python3 - "$N" "$A" "$WORK" "$APPS" <<'PY'
import os, statistics, subprocess, sys, time
n, a, work, apps = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
c = "--cache-dir=" + work + "/cache"
box_images = open(work + "/box-images").read().split()
cases = {
    "box wordcount": ([a, "box", "run", c, work + "/wc.box"], None),
    "box wordcount, no box image": ([a, "box", "run", c, work + "/wc.box"], None),
    "python3 wc.py": (["python3", "wc.py", "--top", "2", "the cat and the hat and the bat"], apps + "/wordcount"),
    "box nodeslug": ([a, "box", "run", work + "/slug.box"], None),
    "node index.js": (["node", "index.js", "Crème Brûlée", "for EVERYONE"], work + "/slug"),
}
times = {k: [] for k in cases}
for _ in range(n):
    for k, (cmd, cwd) in cases.items():
        if k.endswith("no box image"):
            for f in box_images:
                if os.path.exists(f):
                    os.remove(f)
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times[k].append(time.perf_counter() - t)
med = {k: statistics.median(v) * 1000 for k, v in times.items()}
for k, v in med.items():
    print(f"{k:28s} median {v:8.1f} ms")
print(f"box/python3 {med['box wordcount'] / med['python3 wc.py']:.1f}x, "
      f"box/node {med['box nodeslug'] / med['node index.js']:.1f}x, "
      f"kept image/no image {med['box wordcount'] / med['box wordcount, no box image']:.2f}x")
PY
