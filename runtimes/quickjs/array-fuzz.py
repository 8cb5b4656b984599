#!/usr/bin/env python3
"""Differential fuzz of array element reads and writes (a[i], a[i] = v, a[i] op= v) between two
native QuickJS builds, for patches that change how the interpreter reads or writes elements
(06-array-elements.patch): random programs over arrays of every kind (plain, holey, sparse, frozen,
with accessors or read-only elements, shrunk or grown through length, typed, arguments, proxies,
subclasses, array-likes) with in-range, out-of-range, negative, fractional and string indices.
Each program prints every result; the two builds must print the same.
Usage: array-fuzz.py STOCK_QJS PATCHED_QJS [SEED] [COUNT]"""
import random

import difffuzz

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

def program(seed):
    rnd = random.Random(seed)
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
    lines += difffuzz.repeated(body, rnd.randint(1, 6))
    for k in range(n):
        lines.append(f"try {{ log.push(fmt(Array.from(a{k}))); }} catch (e) {{ log.push('from ' + e.constructor.name); }}")
    lines.append("console.log(log.join('\\n'));")
    return ("'use strict';\n" if strict else "") + "\n".join(lines) + "\n"

if __name__ == "__main__":
    # 10 s: a program can make an array-like of length 2^32 - 1; both builds must then time out
    difffuzz.main(__doc__, "array-fuzz", program, difffuzz.printed_lines, "lines printed", 500, 10)
