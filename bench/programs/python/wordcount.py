# Word count: 150,000 words drawn from a fixed vocabulary by a linear congruential generator,
# joined into lines, then split, lower-cased and counted in a dict; the 5 most frequent words.
# Self-checking: the total, the number of distinct words and the top counts; prints ms=<compute ms>.
import time

WORDS = 150000
VOCAB = [w + s for w in ("alpha", "Beta", "gamma", "delta", "Epsilon", "zeta", "eta", "theta",
                         "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi")
         for s in ("", "s", "ed", "ing", "er", "X", "y", "ly")]


def text():
    x = 12345
    lines, line = [], []
    for i in range(WORDS):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        line.append(VOCAB[(x >> 8) % len(VOCAB)])
        if len(line) == 12:
            lines.append(" ".join(line) + ".")
            line = []
    lines.append(" ".join(line))
    return "\n".join(lines)


def count(s):
    counts = {}
    for line in s.splitlines():
        for w in line.split():
            w = w.strip(".,").lower()
            counts[w] = counts.get(w, 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    return sum(counts.values()), len(counts), top


t0 = time.perf_counter()
result = count(text())
ms = (time.perf_counter() - t0) * 1000
assert result == (150000, 128, [("mu", 1193), ("pis", 1192), ("omicrony", 1188), ("betax", 1187),
                            ("eta", 1186)]), result
print("ms=%.3f" % ms)
