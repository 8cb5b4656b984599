#!/usr/bin/env python3
"""Runs one command and writes its whole-process cost as JSON to OUT:
  proctime.py OUT cmd [args...]  -> {"exit": N, "wall_ms": ..., "cpu_ms": user+sys, "user_ms": ..., "sys_ms": ...}
The child's stdin is /dev/null, its stdout and stderr are inherited. CPU comes from wait4's rusage:
the child and every descendant it waited for (the JVM's threads, node's workers). Wall is taken
around the spawn and the wait only (this script's own start is not in it)."""
import json, os, sys, time


def main():
    out, cmd = sys.argv[1], sys.argv[2:]
    devnull = os.open(os.devnull, os.O_RDONLY)
    t0 = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 0)])
    _, status, ru = os.wait4(pid, 0)
    wall = (time.perf_counter() - t0) * 1e3
    code = os.waitstatus_to_exitcode(status)
    with open(out, "w") as f:
        json.dump({"exit": code, "wall_ms": round(wall, 3), "cpu_ms": round((ru.ru_utime + ru.ru_stime) * 1e3, 3),
                   "user_ms": round(ru.ru_utime * 1e3, 3), "sys_ms": round(ru.ru_stime * 1e3, 3)}, f)


main()
