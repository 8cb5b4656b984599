#!/usr/bin/env python3
"""A dispatch profile from HotSpot's method data: how often each value of each big switch of a
module's functions was taken while the JVM's interpreter and profiling tier ran them.

    mdo.py [--min-values N] [--below FUNCS] METHODDATA.txt... > PROFILE.txt

METHODDATA.txt is the standard output of a JVM run with -XX:+UnlockDiagnosticVMOptions
-XX:+PrintMethodData (printed at exit) that ran the module compiled by Airlock: each function is
a method func_N of a generated class, and a br_table its tableswitch with keys 0..LEN-1. Prints
one line per switch of at least N values (default 128) in functions below FUNCS (the module's own
functions, imports included; default all), counts summed over the files and over classes:
"func N values LEN default D counts C0 C1 ...", sorted by function.
"""
import re
import sys

HEADER = re.compile(r"^(?:static )?\S+::func_(\d+)\(")
SWITCH = re.compile(r"^(\d+) tableswitch \d+ (-?\d+) (-?\d+)")
COUNT = re.compile(r"^\s+count\((\d+)\) displacement")


def read(path, min_values, below, acc):
    func = pending = cur = None
    with open(path, errors="replace") as f:
        for line in f:
            if cur is not None:
                m = COUNT.match(line)
                if m:
                    cur[2].append(int(m.group(1)))
                    continue
                (fn, n), d, cs = cur
                if len(cs) == n:
                    tot = acc.setdefault((fn, n), [0] * (n + 1))
                    for v in range(n):
                        tot[v] += cs[v]
                    tot[n] += d
                cur = None
            if not line.startswith(" "):
                m = HEADER.match(line)
                if m:
                    func, pending = int(m.group(1)), None
                    continue
                if "::" in line:
                    func = pending = None
                    continue
            m = SWITCH.match(line)
            if m and func is not None:
                lo, hi = int(m.group(2)), int(m.group(3))
                n = hi - lo + 1
                ok = lo == 0 and n >= min_values and (below is None or func < below)
                pending = (func, n) if ok else None
                continue
            if pending and "MultiBranchData" in line:
                d = int(re.search(r"default_count\((\d+)\)", line).group(1))
                cur = [pending, d, []]
                pending = None


def main():
    args = sys.argv[1:]
    min_values, below = 128, None
    while args and args[0].startswith("--"):
        if args[0] == "--min-values":
            min_values = int(args[1])
        elif args[0] == "--below":
            below = int(args[1])
        else:
            sys.exit(__doc__)
        args = args[2:]
    if not args:
        sys.exit(__doc__)
    acc = {}
    for path in args:
        read(path, min_values, below, acc)
    for (fn, n), c in sorted(acc.items()):
        if sum(c):
            print("func %d values %d default %d counts %s" % (fn, n, c[n], " ".join(map(str, c[:n]))))


if __name__ == "__main__":
    main()
