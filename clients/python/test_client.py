"""Round trips of the Python client against a live server: python3 test_client.py URL KEY.

The tenant of KEY must see the wasm-echo example skill. Exits non-zero at the first failure.
"""

import sys

from airlock_client import Airlock, BadRequest, Limits, NotFound, Unauthorized

# a WASI module whose _start returns at once
EMPTY_WASM = bytes.fromhex(
    "0061736d01000000" "01040160000003020100070a01065f737461727400000a040102000b"
)


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def main(url, key, admin_key=None):
    airlock = Airlock(url, api_key=key, timeout=600)
    check(airlock.health(), "health")

    # one-shot executions, with limits, files and the run's record
    r = airlock.run_python(
        "import sys\nprint(open('/workspace/in.txt').read() * 2)\nprint('e', file=sys.stderr)",
        files={"in.txt": "ab"},
        limits=Limits(timeout_ms=60000, max_output_bytes=1 << 20),
    )
    check(r.ok and r.stdout == "abab\n" and r.stderr == "e\n", f"python: {r}")
    check(airlock.run(r.run_id)["status"] == "ok", "run record")
    check(len(airlock.audit(r.run_id)) > 0, "audit records")
    js = airlock.run_javascript("console.log([1, 2, 3].map(x => x * 2).join(','))")
    check(js.stdout == "2,4,6\n", f"javascript: {js}")
    w = airlock.run_wasm(EMPTY_WASM)
    check(w.ok and w.exit_code == 0, f"wasm: {w}")
    limited = airlock.run_python("while True: pass", limits=Limits(timeout_ms=300))
    check(limited.status == "limit", f"limit: {limited}")
    out = []
    s = airlock.stream("python", "print('one')\nprint('two')", on_output=lambda st, t: out.append((st, t)))
    check(s.ok and "".join(t for st, t in out if st == "stdout") == "one\ntwo\n", f"stream: {out} {s}")

    # a session: state, files, snapshot, restore, fork
    with airlock.create_session("python") as session:
        session.run("x = 1")
        check(session.run("print(x)").stdout == "1\n", "session state")
        session.upload("data/in.bin", bytes([1, 2, 3, 0]))
        session.run("open('/workspace/out.txt', 'w').write(str(sum(open('/workspace/data/in.bin', 'rb').read())))")
        check(session.download("out.txt") == b"6", "download")
        files = session.files()
        check("/workspace/data/in.bin" in files and "/workspace/out.txt" in files, f"files: {files}")
        snap = session.snapshot()
        session.run("x = 2")
        session.restore(snap["id"])
        check(session.run("print(x)").stdout == "1\n", "restore")
        fork = session.fork()
        try:
            fork.run("x = 5")
            check(fork.run("print(x)").stdout == "5\n", "fork state")
            check(session.run("print(x)").stdout == "1\n", "fork left the original alone")
            ids = [s["id"] for s in airlock.sessions()]
            check(session.id in ids and fork.id in ids, f"sessions: {ids}")
        finally:
            fork.close()
    try:
        session.run("print(x)")
        check(False, "a closed session still runs")
    except NotFound as e:
        check(e.status == 404 and e.request_id, f"closed session: {e}")

    # skills
    names = [s["name"] for s in airlock.skills()]
    check("wasm-echo" in names, f"skills: {names}")
    check(any(t["name"] == "echo" for t in airlock.skill("wasm-echo")["manifest"]["tools"]), "skill tools")
    called = airlock.call_skill("wasm-echo", "echo", {"a": [1, 2]})
    check(called["status"] == "ok" and called["result"] == {"input": {"a": [1, 2]}}, f"skill call: {called}")

    # typed errors with the request's id
    try:
        airlock.run("no-such-run", request_id="py-test-1")
        check(False, "no error for a missing run")
    except NotFound as e:
        check(e.request_id == "py-test-1" and e.type.endswith("/not-found") and e.detail, f"not found: {vars(e)}")
    try:
        Airlock(url, api_key="not-a-key-0123456789").sessions()
        check(False, "a bad key was accepted")
    except Unauthorized as e:
        check(e.status == 401 and e.title and e.request_id, f"unauthorized: {vars(e)}")
    try:
        airlock.run_python("1", packages=["no-such-package"])
    except BadRequest as e:
        check(e.status == 400 and e.detail, f"bad request: {vars(e)}")
    else:
        check(False, "an unknown package set was accepted")
    try:
        Limits(timeout_ms=0)
        check(False, "a zero timeout was accepted")
    except ValueError:
        pass
    if admin_key:
        v = Airlock(url, api_key=admin_key, timeout=600).verify_audit()
        check(v["intact"] and v["runsChecked"] > 0, f"audit verification: {v}")
        try:
            airlock.verify_audit()
            check(False, "a tenant key verified the audit")
        except Exception as e:  # the tenant's key is refused: 403
            check(getattr(e, "status", None) == 403, f"tenant verification: {e!r}")
    print("python client: all round trips passed")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: python3 test_client.py URL KEY [ADMIN-KEY]")
    main(*sys.argv[1:])
