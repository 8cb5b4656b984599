# A training workload for the dispatch profile of airlock-python.wasm: the kinds of code agents
# run (collections, strings, JSON, classes, exceptions, generators, regular expressions), not the
# benchmarks the profile is measured on.
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field


def words(n):
    syll = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "xe", "zu", "pi"]
    out, seed = [], 12345
    for i in range(n):
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        k = 1 + seed % 3
        out.append("".join(syll[(seed >> (j * 4)) % len(syll)] for j in range(k)))
    return out


@dataclass
class Account:
    id: str
    owner: str
    entries: list = field(default_factory=list)

    def deposit(self, amount, memo):
        if not amount > 0:
            raise ValueError(f"bad amount {amount}")
        self.entries.append({"amount": amount, "memo": memo, "kind": "in"})

    def withdraw(self, amount, memo):
        if amount > self.balance:
            raise RuntimeError(f"insufficient funds in {self.id}")
        self.entries.append({"amount": -amount, "memo": memo, "kind": "out"})

    @property
    def balance(self):
        return sum(e["amount"] for e in self.entries)


def ledger(ws):
    accounts, errors = {}, 0
    for i, w in enumerate(ws):
        key = w[:2]
        a = accounts.setdefault(key, Account(key, w.upper()))
        try:
            if i % 3 == 0:
                a.withdraw(len(w) * 7, "w%d" % i)
            else:
                a.deposit(len(w) * 5, f"d{i}")
        except (RuntimeError, ValueError):
            errors += 1
    rows = sorted(
        ({"id": a.id, "owner": a.owner, "balance": a.balance} for a in accounts.values()),
        key=lambda r: (-r["balance"], r["id"]),
    )
    return rows, errors


def text_stats(ws):
    text = " ".join(ws)
    counts = Counter(m.group(1) for m in re.finditer(r"\b([a-z]{2})([a-z]*)\b", text))
    by_len = defaultdict(list)
    for w in set(ws):
        by_len[len(w)].append(w)
    caps = [w.title() for w in text.split() if len(w) > 4]
    return counts.most_common(5), {k: len(v) for k, v in sorted(by_len.items())}, len(caps)


def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


def numbers():
    xs = []
    for f in fib():
        if f > 10**12:
            break
        xs.append(f)
    grid = [[(i * j) % 7 for j in range(30)] for i in range(30)]
    flat = [v for row in grid for v in row if v]
    acc = 0.0
    for i in range(1000):
        v = (i % 17) * 0.5 - 3.25
        acc += v if v > 0 else -v / 2
    return len(xs), sum(flat), max(flat), round(acc)


def round_trip(obj, times):
    s = ""
    for i in range(times):
        s = json.dumps(obj, sort_keys=True)
        obj = json.loads(s)
        obj["round"] = i
    return len(s)


ws = words(3000)
check = 0
for round_ in range(4):
    rows, errors = ledger(ws)
    top, lens, caps = text_stats(ws)
    n = numbers()
    j = round_trip({"rows": rows[:20], "top": top, "n": n, "tags": ws[:50]}, 5)
    check += len(rows) + errors + caps + n[0] + j + len(lens)
    check += sum(f(w) for w, f in zip(ws[:300], [lambda w, i=i: ord(w[0]) + i for i in range(300)])) % 1000
print("train.py ok", check)
