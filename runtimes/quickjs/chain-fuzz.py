#!/usr/bin/env python3
"""Differential fuzz of property reads along prototype chains (o.name and o.name()) between two
native QuickJS builds, for patches that change how the interpreter finds a named property
(03-own-field-reads.patch, or one that walks prototype chains in place): random chains of objects
of every kind (plain, class instances, arrays, arguments, functions, null-prototype objects,
proxies, String objects, typed arrays, maps, frozen objects, strings and numbers as receivers)
whose links hold data properties, getters or methods, changed while the program runs (set,
delete, define, setPrototypeOf, freeze). Each program prints every result; the two builds must
print the same.
Usage: chain-fuzz.py STOCK_QJS PATCHED_QJS [SEED] [COUNT]"""
import random

import difffuzz

LINKS = [
    "{}",
    "Object.create(null)",
    "[1, 2, 3]",
    "(function () { return arguments; })(1, 2)",
    "(function (a) { return arguments; })(1, 2)",
    "function () {}",
    "new (class K { m() { return 'K.m'; } })()",
    "new Proxy({ p: 'target p' }, { get(t, k, r) { return typeof k === 'string' && k.startsWith('n') ? 'trap ' + k : Reflect.get(t, k, r); } })",
    "new String('str')",
    "new Uint8Array(4)",
    "new Map([[1, 2]])",
    "Object.freeze({ n1: 'frozen' })",
    "new Error('e')",
    "/re/g",
]
RECEIVERS = ["'text'", "('ab' + 'cd'.repeat(40))", "5", "true"]
NAMES = ["n0", "n1", "n2", "n3", "length", "constructor", "toString", "push", "m", "size", "message", "lastIndex", "p", "charAt"]
VALUES = ["1", "'v'", "null", "undefined", "{ w: 1 }", "() => 'fn'", "function () { return this === undefined ? 'u' : typeof this; }"]

def program(seed):
    rnd = random.Random(seed)
    fmt = "const fmt = (x) => { try { return typeof x === 'function' ? 'fn:' + x.name : typeof x === 'object' && x !== null ? 'obj' : String(x); } catch (e) { return 'unprintable'; } };"
    lines = ["const log = [];", fmt]
    n = rnd.randint(3, 6)
    for k in range(n):
        lines.append(f"const o{k} = {rnd.choice(LINKS)};")
    for k in range(n - 1):
        if rnd.random() < 0.8:
            lines.append(f"try {{ Object.setPrototypeOf(o{k}, o{k + 1}); }} catch (e) {{ log.push('link ' + e.constructor.name); }}")
    roots = [f"o{k}" for k in range(n)] + RECEIVERS
    if rnd.random() < 0.5:
        lines.append(f"Object.setPrototypeOf(String.prototype, o{rnd.randrange(n)});" if rnd.random() < 0.2 else "String.prototype.n0 = 'on String.prototype';")
    body = []
    for _ in range(rnd.randint(6, 16)):
        k = rnd.randrange(n)
        name = rnd.choice(NAMES)
        form = rnd.randrange(9)
        r = rnd.choice(roots)
        if form <= 2:
            body.append(f"log.push(fmt(({r}).{name}));")
        elif form == 3:
            body.append(f"log.push(fmt(({r}).{name}()));")
        elif form == 4:
            body.append(f"o{k}.{name} = {rnd.choice(VALUES)};")
        elif form == 5:
            body.append(f"delete o{k}.{name};")
        elif form == 6:
            body.append(f"Object.defineProperty(o{k}, '{name}', {{ get() {{ return 'get {name} ' + (this === o{k} ? 'self' : typeof this); }}, configurable: true }});")
        elif form == 7:
            j = rnd.randrange(n)
            body.append(f"Object.setPrototypeOf(o{k}, {rnd.choice([f'o{j}', 'null', 'Object.prototype', 'Array.prototype'])});")
        else:
            body.append(f"Object.{rnd.choice(['freeze', 'preventExtensions'])}(o{k});")
    lines += difffuzz.repeated(body, rnd.randint(1, 4))
    lines.append("console.log(log.join('\\n'));")
    return ("'use strict';\n" if rnd.random() < 0.3 else "") + "\n".join(lines) + "\n"

if __name__ == "__main__":
    difffuzz.main(__doc__, "chain-fuzz", program, difffuzz.printed_lines, "lines printed", 500, 10)
