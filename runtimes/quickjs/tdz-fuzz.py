#!/usr/bin/env python3
"""Differential check of 02-tdz-checks.patch: random JavaScript programs whose let/const/class
bindings are read, written and incremented before, during and after their temporal dead zone,
inside if/else, loops with break and continue, try/catch/finally, switch fall-through, labelled
blocks and closures, run by two QuickJS binaries (one without the patch, one with it) whose
outputs must be identical. Each program logs every value read and every ReferenceError thrown.

Usage: runtimes/quickjs/tdz-fuzz.py REFERENCE_QJS PATCHED_QJS [FIRST_SEED] [COUNT]
  e.g. a stock qjs (make qjs in the unpacked source) against bench/.tools/qjs (bench/tools/setup.sh)
Prints the seeds whose outputs differ (and keeps their programs in the current folder); exits 1 if any.
Not run by the build: session 49 ran seeds 1-4000 (64,130 dead-zone errors thrown, no difference).
"""
import random

import difffuzz


def gen(seed):
    r = random.Random(seed)
    out = []
    names = []
    depth = [0]
    def ind(): return "  " * (depth[0] + 1)
    def expr():
        c = r.random()
        if names and c < 0.6:
            n = r.choice(names)
            return n
        return str(r.randint(0, 9))
    def stmt(level):
        k = r.random()
        i = ind()
        if k < 0.18:
            counter[0] += 1
            n = f"v{counter[0]}"
            names.append(n)
            decl(n)
        elif k < 0.33 and names:
            n = r.choice(names)
            out.append(f"{i}try {{ {n} = {expr()}; log('w'); }} catch (e) {{ log(e instanceof ReferenceError ? 'W' : 'T'); }}")
        elif k < 0.40 and names:
            n = r.choice(names)
            out.append(f"{i}try {{ {n}++; log('i'); }} catch (e) {{ log(e instanceof ReferenceError ? 'I' : 'T'); }}")
        elif k < 0.45:
            out.append(f"{i}try {{ log({expr()}); }} catch (e) {{ log(e instanceof ReferenceError ? 'R' : 'E'); }}")
        elif level < 4 and k < 0.55:
            out.append(f"{i}if (cnd()) {{"); block(level + 1); out.append(f"{i}}} else {{"); block(level + 1); out.append(f"{i}}}")
        elif level < 4 and k < 0.63:
            lv = f"i{level}"
            out.append(f"{i}for (let {lv} = 0; {lv} < 3; {lv}++) {{")
            block(level + 1, loop=True); out.append(f"{i}}}")
        elif level < 4 and k < 0.70:
            out.append(f"{i}try {{"); block(level + 1)
            if r.random() < 0.5: out.append(f"{i}  if (cnd()) throw 1;")
            out.append(f"{i}}} catch (e) {{"); block(level + 1)
            if r.random() < 0.5:
                out.append(f"{i}}} finally {{"); block(level + 1)
            out.append(f"{i}}}")
        elif level < 4 and k < 0.76:
            out.append(f"{i}switch (pick()) {{")
            for c in range(3):
                out.append(f"{i}case {c}:"); block(level + 1)
                if r.random() < 0.5: out.append(f"{i}  break;")
            out.append(f"{i}}}")
        elif level < 4 and k < 0.81:
            lab = f"L{len(out)}"
            out.append(f"{i}{lab}: {{"); block(level + 1)
            out.append(f"{i}  if (cnd()) break {lab};"); block(level + 1); out.append(f"{i}}}")
        elif level < 4 and k < 0.86 and names:
            n = r.choice(names)
            out.append(f"{i}fns.push(() => {n});")
        elif level < 4 and k < 0.90:
            out.append(f"{i}while (cnd()) {{"); block(level + 1, loop=True); out.append(f"{i}  break;"); out.append(f"{i}}}")
        else:
            out.append(f"{i}try {{ log({expr()}); }} catch (e) {{ log(e instanceof ReferenceError ? 'R' : 'E'); }}")
    counter = [1000]
    def decl(n):
        """a let or const declaration of n, its initialiser possibly reading a binding"""
        i = ind()
        kw = r.choice(["let", "let", "const"])
        if kw == "let" and r.random() < 0.2:
            out.append(f"{i}let {n};")
        else:
            e = expr()
            out.append(f"{i}{kw} {n} = (() => {{ try {{ return {e}; }} catch (e) {{ log('D'); return 0; }} }})();" if e in names else f"{i}{kw} {n} = {e};")
    def block(level, loop=False):
        saved = len(names)
        depth[0] += 1
        nst = r.randint(0, 4)
        newn = []
        for _ in range(r.randint(0, 2)):
            counter[0] += 1
            newn.append(f"b{counter[0]}")
        names.extend(newn)
        at = {n: r.randint(0, nst) for n in newn}
        for k in range(nst + 1):
            for n in newn:
                if at[n] == k:
                    decl(n)
            if k < nst:
                stmt(level)
                if loop and r.random() < 0.1:
                    out.append(ind() + r.choice(["if (cnd()) continue;", "if (cnd()) break;"]))
        depth[0] -= 1
        del names[saved:]
    for _ in range(r.randint(3, 10)):
        stmt(0)
    prog = [
        "const res = []; const log = x => res.push(String(x));",
        "let sd = %d; const cnd = () => { sd = (sd * 1103515245 + 12345) %% 2147483648; return (sd >> 8) %% 2 === 0; };" % (seed % 1000 + 1),
        "const pick = () => { sd = (sd * 1103515245 + 12345) % 2147483648; return (sd >> 8) % 3; };",
        "const rd = f => { try { return f(); } catch (e) { return e instanceof ReferenceError ? 'R' : 'E'; } };",
        "const fns = [];",
        "function main() {",
    ] + out + [
        "}",
        "try { main(); } catch (e) { res.push('X:' + (e && e.constructor && e.constructor.name)); }",
        "for (const f of fns) res.push(rd(f));",
        "console.log(res.join(' '));",
    ]
    return "\n".join(prog)


def dead_zone_errors(stdout, stderr):
    return sum((stdout + stderr).split().count(t) for t in ("R", "D", "W", "I"))


if __name__ == "__main__":
    difffuzz.main(__doc__, "tdz-fuzz", gen, dead_zone_errors, "dead-zone errors thrown", 200, 30)
