#!/usr/bin/env python3
"""Differential fuzz of array element reads and writes (a[i], a[i] = v, a[i] op= v) between two
native QuickJS builds, for patches that change how the interpreter reads or writes elements
(06-array-elements.patch): random programs over arrays of every kind (plain, holey, sparse, frozen,
with accessors or read-only elements, shrunk or grown through length, typed, arguments, proxies,
subclasses, array-likes) with in-range, out-of-range, negative, fractional and string indices.
Each program prints every result; the two builds must print the same.
Usage: array-fuzz.py STOCK_QJS PATCHED_QJS [SEED] [COUNT]"""
import os, random, subprocess, sys

KINDS = [
    "[1, 2, 3, 4, 5, 6, 7, 8]",
    "[1, , 3, , 5]",
    "(() => { const s = []; s[50] = 'far'; s[2] = 'near'; return s; })()",
    "Object.freeze([9, 8, 7])",
    "(() => { const r = [1, 2, 3, 4]; Object.defineProperty(r, 2, { value: 'ro', writable: false }); return r; })()",
    "(() => { const g = [1, 2, 3]; Object.defineProperty(g, 1, { get() { return 'get'; }, set(v) { log.push('set ' + v); } }); return g; })()",
    "(() => { const c = [1, 2, 3, 4, 5, 6]; c.length = 3; return c; })()",
    "(() => { const c = [1, 2]; c.length = 6; return c; })()",
    "new Int8Array([1, -2, 3, 100])",
    "new Float64Array([0.5, -1.25, 3])",
    "(function () { return arguments; })(1, 'two', 3)",
    "new Proxy([1, 2, 3], { get(t, k) { return k in t ? t[k] : 'proxy ' + String(k); } })",
    "(() => { class A extends Array {} return A.from([4, 5, 6]); })()",
    "({ 0: 'a', 1: 'b', length: 2 })",
    "[{ n: 1 }, { n: 2 }, [3], 'four', 5.5, null, undefined, 7n]",
    "new Array(6).fill(0)",
]
INDICES = ["0", "1", "2", "3", "5", "7", "50", "100", "-1", "1.5", "'1'", "'length'", "i", "i + 1", "i % 3", "4294967295", "2 * 1.5 - 2"]
VALUES = ["0", "1", "-1", "2.5", "'s'", "null", "undefined", "{ v: i }", "[i]", "i", "a[0]", "10n"]
OPS = ["+=", "-=", "*=", "|=", "??=", "||="]

def program(rnd):
    lines = ["const log = [];", "const fmt = (x) => { try { return typeof x === 'bigint' ? x + 'n' : typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x); } catch (e) { return 'unprintable'; } };"]
    n = rnd.randint(2, 4)
    for k in range(n):
        lines.append(f"let a{k} = {rnd.choice(KINDS)};")
    body = []
    for _ in range(rnd.randint(5, 14)):
        k = rnd.randrange(n)
        idx, val = rnd.choice(INDICES), rnd.choice(VALUES).replace("a[0]", f"a{rnd.randrange(n)}[0]")
        form = rnd.randrange(6)
        if form == 0:
            body.append(f"log.push(fmt(a{k}[{idx}]));")
        elif form == 1:
            body.append(f"a{k}[{idx}] = {val};")
        elif form == 2:
            body.append(f"a{k}[{idx}] {rnd.choice(OPS)} {val};")
        elif form == 3:
            body.append(f"log.push(fmt(a{k}[{idx}]++));")
        elif form == 4:
            j = rnd.randrange(n)
            body.append(f"a{k}[{idx}] = a{j}[{rnd.choice(INDICES)}];")
        else:
            body.append(f"(() => {{ 'use strict'; a{k}[{idx}] = {val}; }})();")
    strict = rnd.random() < 0.3
    lines.append("for (let i = 0; i < %d; i++) {" % rnd.randint(1, 6))
    for b in body:
        lines.append("  try { %s } catch (e) { log.push(e.constructor.name); }" % b)
    lines.append("}")
    for k in range(n):
        lines.append(f"try {{ log.push(fmt(Array.from(a{k}))); }} catch (e) {{ log.push('from ' + e.constructor.name); }}")
    lines.append("console.log(log.join('\\n'));")
    return ("'use strict';\n" if strict else "") + "\n".join(lines) + "\n"

def run(qjs, path):
    try:
        p = subprocess.run([qjs, path], capture_output=True, text=True, timeout=10)
    except subprocess.TimeoutExpired:
        return "timed out"  # a program can make an array-like of length 2^32 - 1: both must
    return p.returncode, p.stdout, p.stderr

def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    stock, patched = sys.argv[1], sys.argv[2]
    first = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 500
    diffs = lines = 0
    for seed in range(first, first + count):
        path = f"array-fuzz-{seed}.js"
        with open(path, "w") as f:
            f.write(program(random.Random(seed)))
        a, b = run(stock, path), run(patched, path)
        lines += a[1].count("\n") if a != "timed out" else 0
        if a != b:
            diffs += 1
            print(f"seed {seed}: outputs differ ({path} kept)")
        else:
            os.remove(path)
    print(f"seeds {first}-{first + count - 1}: {diffs} differ; {lines} lines printed")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
