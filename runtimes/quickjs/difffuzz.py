"""The loop the differential fuzz tools share (tdz-fuzz.py, array-fuzz.py, chain-fuzz.py):
generate a program per seed, run it with a reference QuickJS and a patched one, and compare what
they print.

Each differing program is kept in the current folder as NAME-SEED.js; the others are removed.
Prints one line per differing seed and a summary; exits 1 if any differ.
"""
import os
import subprocess
import sys


def repeated(body, rounds):
    """The lines of a loop that runs each statement of `body` `rounds` times, logging the name of
    whatever it throws into `log` (the array the program prints)."""
    lines = ["for (let i = 0; i < %d; i++) {" % rounds]
    for b in body:
        lines.append("  try { %s } catch (e) { log.push(e.constructor.name); }" % b)
    lines.append("}")
    return lines


def printed_lines(stdout, stderr):
    """What a program printed, in lines: the tally of the tools whose programs print a log."""
    return stdout.count("\n")


def run(qjs, path, timeout):
    """Exit status, stdout and stderr; or "timed out", an outcome both builds must share."""
    try:
        p = subprocess.run([qjs, path], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timed out"
    return p.returncode, p.stdout, p.stderr


def main(doc, name, program, tally, what, default_count, timeout):
    """Runs the tool: program(seed) gives a program's text, tally(stdout, stderr)
    what the reference printed that the summary counts (as `what`)."""
    if len(sys.argv) < 3:
        sys.exit(doc)
    ref, new = sys.argv[1], sys.argv[2]
    first = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    count = int(sys.argv[4]) if len(sys.argv) > 4 else default_count
    diffs = total = 0
    for seed in range(first, first + count):
        path = f"{name}-{seed}.js"
        with open(path, "w") as f:
            f.write(program(seed))
        a, b = run(ref, path, timeout), run(new, path, timeout)
        if a != "timed out":
            total += tally(a[1], a[2])
        if a != b:
            diffs += 1
            print(f"seed {seed}: outputs differ ({path} kept)")
        else:
            os.remove(path)
    print(f"seeds {first}-{first + count - 1}: {diffs} differ; {total} {what}")
    sys.exit(1 if diffs else 0)
