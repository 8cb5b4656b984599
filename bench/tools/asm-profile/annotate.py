#!/usr/bin/env python3
"""Counts perf samples per instruction of the code HotSpot printed (profile.sh's OUT folder).

    annotate.py OUT [TOP]

Prints the share of all samples in each printed compile (a method can be compiled several times:
C1, C2, on-stack replacement), writes OUT/annotated.txt for the compile with the most samples
(each instruction with its samples, its share, and HotSpot's comments on it), and prints its TOP
(default 40) instructions and its hottest 128-byte stretches.

A sample counts for a compile only where perf names the same method at that address: HotSpot
frees code it no longer uses (an on-stack-replacement compile of a loop, a compile made not
entrant) and puts other methods' code there, and perf names each address by the code there at
exit (-XX:+DumpPerfMapAtExit). Samples at a printed compile's addresses that perf gives to another
method are reported, not counted.
"""
import bisect
import collections
import re
import sys


def compiles(path):
    blocks, cur = [], None
    for line in open(path, errors="replace"):
        if line.startswith("Compiled method"):
            cur = {"title": line.strip(), "insns": []}
            blocks.append(cur)
            continue
        if cur is None:
            continue
        m = re.match(r"\s+0x([0-9a-f]+):\s+(.*)", line)
        if m:
            cur["insns"].append([int(m.group(1), 16), m.group(2).rstrip(), []])
        elif cur["insns"] and line.strip().startswith(";"):
            cur["insns"][-1][2].append(line.strip())
    return [b for b in blocks if b["insns"]]


def samples(path):
    """Samples per (address, perf's symbol there)."""
    ips = collections.Counter()
    for line in open(path, errors="replace"):
        parts = line.split(None, 1)
        try:
            ips[(int(parts[0], 16), parts[1].strip() if len(parts) > 1 else "")] += 1
        except (IndexError, ValueError):
            pass
    return ips


def owner(title):
    """'Class.method(' as perf's map names the compile's method, or None if the title has none."""
    m = re.search(r"(\S+)::(\S+)(?: @ \d+)? \(", title)
    return m.group(1) + "." + m.group(2) + "(" if m else None


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    ips = samples(out + "/ips.txt")
    total = sum(ips.values()) or 1
    print("samples:", total)
    best = None
    for b in compiles(out + "/asm.txt"):
        addrs = [i[0] for i in b["insns"]]
        lo, hi = addrs[0], addrs[-1] + 16
        counts = collections.Counter()
        other = 0
        method = owner(b["title"])
        for (ip, sym), n in ips.items():
            if lo <= ip < hi:
                if method is None or method in sym:
                    counts[bisect.bisect_right(addrs, ip) - 1] += n
                else:
                    other += n
        b["counts"], b["n"] = counts, sum(counts.values())
        if b["n"] or other:
            print("%6.2f%%  %s" % (100.0 * b["n"] / total, b["title"]))
        if other:
            print("         (%.2f%% at its addresses belong to other code: not counted)" % (100.0 * other / total))
        if best is None or b["n"] > best["n"]:
            best = b
    if best is None or best["n"] == 0:
        print("no samples in the printed code")
        return
    with open(out + "/annotated.txt", "w") as f:
        for k, (addr, text, notes) in enumerate(best["insns"]):
            n = best["counts"].get(k, 0)
            f.write("%6d %6.2f%%  %x: %s  %s\n" % (n, 100.0 * n / total, addr, text, " ".join(notes)[:240]))
    print("\nhottest instructions of", best["title"], "(written to", out + "/annotated.txt)")
    for k, n in best["counts"].most_common(top):
        addr, text, _ = best["insns"][k]
        print("%6d %6.2f%%  %x: %s" % (n, 100.0 * n / total, addr, text))
    stretches = collections.Counter()
    for k, n in best["counts"].items():
        stretches[best["insns"][k][0] >> 7] += n
    print("\nhottest 128-byte stretches")
    for s, n in stretches.most_common(8):
        print("%6.2f%%  %x" % (100.0 * n / total, s << 7))


if __name__ == "__main__":
    main()
