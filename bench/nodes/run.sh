#!/usr/bin/env bash
# Several server nodes on one PostgreSQL on this machine (loopback ports): throughput with 1, 2 and
# 3 nodes behind a client-side round-robin (as a load balancer would spread it), sessions kept in
# the store (sticky and not), and one node killed (SIGKILL) in the middle of a load run: what was
# lost. Prints medians and ratios; see bench/README.md, "Several nodes".
#
# Usage (as root on Debian, which .ci/postgres needs):  bench/nodes/run.sh [SECONDS] [ROUNDS]
#   SECONDS  length of each measured round (default 10)
#   ROUNDS   interleaved rounds per node count (default 3)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
seconds="${1:-10}"
rounds="${2:-3}"
cd "$repo"

eval "$(.ci/postgres)"
port=55432
db="nodes_bench_$$"
psql_() { runuser -u postgres -- psql -q -h "/tmp/airlock-pg-$port" -p "$port" "$@"; }
psql_ -c "CREATE DATABASE $db OWNER airlock" >/dev/null
url="postgresql://airlock:airlock-test@127.0.0.1:$port/$db"

./airlock --version >/dev/null # builds the CLI if needed, before any clock starts
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql_ -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

key="nodes-bench-admin-key-0123456789"
urls=()
for i in 1 2 3; do
  p=$((18780 + i))
  AIRLOCK_BOOTSTRAP_KEY="$key" ./airlock serve --port "$p" --data "$url" \
      --node-dir "$work/node-$i" --node-id "node-$i" >"$work/node-$i.log" 2>&1 &
  pids+=("$!")
  urls+=("http://127.0.0.1:$p")
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$p/healthz" >/dev/null 2>&1 && break
    sleep 0.5
  done
done
# the reference for session calls: one server on its embedded store, sessions in its memory only
AIRLOCK_BOOTSTRAP_KEY="$key" ./airlock serve --port 18784 --data "$work/plain" >"$work/plain.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 120); do curl -fs http://127.0.0.1:18784/healthz >/dev/null 2>&1 && break; sleep 0.5; done
echo "nodes: ${urls[*]} on $db, reference http://127.0.0.1:18784 (pids ${pids[*]})"
python3 "$here/load.py" --nodes "$(IFS=,; echo "${urls[*]}")" --pids "$(IFS=,; echo "${pids[*]:0:3}")" \
    --plain http://127.0.0.1:18784 --key "$key" --seconds "$seconds" --rounds "$rounds"
