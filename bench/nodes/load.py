#!/usr/bin/env python3
"""Load for bench/nodes/run.sh: throughput with 1..N nodes, session calls kept in the store,
and a node killed mid-run. Standard library only."""
import argparse
import json
import os
import signal
import statistics
import threading
import time
import urllib.error
import urllib.request

PY = "print(sum(i * i for i in range(30000)))"


def call(base, method, path, key, body=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + key)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, None


def tenant(nodes, admin):
    limits = {"maxConcurrentRuns": 64, "maxRunsPerMinute": 1000000}
    s, _ = call(nodes[0], "PUT", "/v1/admin/tenants/bench", admin, limits)
    assert s == 200, s
    s, k = call(nodes[0], "POST", "/v1/admin/tenants/bench/keys", admin, {})
    assert s == 201, s
    return k["secret"]


def throughput(nodes, key, workers, seconds):
    """Runs per second over `seconds`, `workers` clients spreading runs round-robin."""
    done = [0]
    lock = threading.Lock()
    end = time.monotonic() + seconds
    turn = [0]

    def client():
        while time.monotonic() < end:
            with lock:
                n = nodes[turn[0] % len(nodes)]
                turn[0] += 1
            s, r = call(n, "POST", "/v1/executions", key, {"language": "python", "code": PY})
            if s == 200 and r["status"] == "ok":
                with lock:
                    done[0] += 1

    ts = [threading.Thread(target=client) for _ in range(workers)]
    t0 = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return done[0] / (time.monotonic() - t0)


def open_session(node, key):
    s, r = call(node, "POST", "/v1/sessions", key,
                {"language": "python", "limits": {"timeoutMs": 5000}})
    assert s == 201, (s, r)
    call(node, "POST", "/v1/sessions/" + r["id"] + "/executions", key, {"code": "n = 0"})
    return r["id"]


def session_latency(nodes, key, sticky, calls):
    """Median milliseconds of `n += 1` calls in 2 sessions, on one node or round-robin."""
    sids = [open_session(nodes[0], key) for _ in range(2)]
    times = []
    for i in range(calls):
        for sid in sids:
            node = nodes[0] if sticky else nodes[i % len(nodes)]
            t0 = time.monotonic()
            s, r = call(node, "POST", "/v1/sessions/" + sid + "/executions", key,
                        {"code": "n += 1\nprint(n)"})
            times.append((time.monotonic() - t0) * 1000)
            assert s == 200 and r["stdout"] == "%d\n" % (i + 1), (s, r)
    for sid in sids:
        call(nodes[0], "DELETE", "/v1/sessions/" + sid, key)
    return statistics.median(times)


def kill_run(nodes, pids, key, seconds):
    """Session and stateless clients over every node; the last node is killed halfway."""
    alive = list(nodes)
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    kill_at = time.monotonic() + seconds / 2
    killed = [None]
    acked_runs = []
    sessions = {}
    failover = []
    errors = {"refused": 0, "connection": 0}

    def pick(i):
        with lock:
            return alive[i % len(alive)]

    def dead(node):
        with lock:
            if node in alive and len(alive) > 1 and killed[0] is not None:
                alive.remove(node)

    def attempt(i, method, path, body):
        """Retries on another node until an answer that is not a failure of the node."""
        t_first = None
        while True:
            node = pick(i)
            i += 1
            try:
                s, r = call(node, method, path, key, body, timeout=30)
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                with lock:
                    errors["connection"] += 1
                dead(node)
                t_first = t_first or time.monotonic()
                time.sleep(0.2)
                continue
            if s in (409, 429, 503):  # busy (a dead node's hold), over a quota, store away
                with lock:
                    errors["refused"] += 1
                t_first = t_first or time.monotonic()
                time.sleep(0.5)
                continue
            return s, r, t_first

    def session_client(c):
        sid = open_session(nodes[c % len(nodes)], key)
        acked = 0
        i = c
        while time.monotonic() < stop:
            s, r, t_first = attempt(i, "POST", "/v1/sessions/" + sid + "/executions",
                                    {"code": "n += 1\nprint(n)"})
            i += 1
            assert s == 200, (s, r)
            acked = max(acked, int(r["stdout"]))
            if t_first is not None:
                with lock:
                    failover.append(time.monotonic() - t_first)
        with lock:
            sessions[sid] = acked

    def run_client(c):
        i = c
        while time.monotonic() < stop:
            s, r, _ = attempt(i, "POST", "/v1/executions", {"language": "python", "code": PY})
            i += 1
            if s == 200:
                with lock:
                    acked_runs.append(r["runId"])

    ts = [threading.Thread(target=session_client, args=(c,)) for c in range(4)]
    ts += [threading.Thread(target=run_client, args=(c,)) for c in range(2)]
    for t in ts:
        t.start()
    while time.monotonic() < kill_at:
        time.sleep(0.05)
    os.kill(pids[-1], signal.SIGKILL)
    killed[0] = time.monotonic()
    for t in ts:
        t.join()
    survivor = alive[0]
    lost_calls = 0
    for sid, acked in sessions.items():
        s, r = call(survivor, "POST", "/v1/sessions/" + sid + "/executions", key,
                    {"code": "print(n)"})
        final = int(r["stdout"]) if s == 200 else -1
        lost_calls += max(0, acked - final)
    lost_runs = sum(1 for rid in acked_runs
                    if call(survivor, "GET", "/v1/runs/" + rid, key)[0] != 200)
    return {
        "sessions": len(sessions),
        "sessionCallsAnswered": sum(sessions.values()),
        "sessionCallsLost": lost_calls,
        "runsAnswered": len(acked_runs),
        "runsLost": lost_runs,
        "retries": errors,
        "longestFailoverSeconds": round(max(failover), 1) if failover else 0.0,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", required=True)
    ap.add_argument("--pids", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--plain", required=True)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    nodes = a.nodes.split(",")
    pids = [int(p) for p in a.pids.split(",")]
    key = tenant(nodes, a.key)
    for n in nodes:  # warm every node's interpreters and JIT a little
        throughput([n], key, 2, 3)
    rates = {k: [] for k in range(1, len(nodes) + 1)}
    for _ in range(a.rounds):
        for k in rates:
            rates[k].append(throughput(nodes[:k], key, 4, a.seconds))
    base = statistics.median(rates[1])
    print("stateless python runs, 4 clients, round-robin over the first k nodes:")
    for k, rs in rates.items():
        m = statistics.median(rs)
        print("  k=%d  runs/s median %.2f  (rounds %s)  ratio to k=1: %.2fx"
              % (k, m, ", ".join("%.2f" % r for r in rs), m / base))
    plain_key = tenant([a.plain], a.key)
    throughput([a.plain], plain_key, 2, 3)
    memory = []
    sticky = []
    spread = []
    for _ in range(a.rounds):
        memory.append(session_latency([a.plain], plain_key, True, 10))
        sticky.append(session_latency(nodes, key, True, 10))
        spread.append(session_latency(nodes, key, False, 10))
    m, st, sp = (statistics.median(x) for x in (memory, sticky, spread))
    print("session call 'n += 1', median ms: in one server's memory %.1f; kept in the store, on "
          "one node %.1f (%.2fx), round-robin over %d nodes %.1f (%.2fx)"
          % (m, st, st / m, len(nodes), sp, sp / m))
    print("killing node %d (pid %d) halfway through a %ds run:" % (len(nodes), pids[-1],
                                                                    2 * a.seconds))
    print("  " + json.dumps(kill_run(nodes, pids, key, 2 * a.seconds)))


if __name__ == "__main__":
    main()
