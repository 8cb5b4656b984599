# spectral-norm (after the Computer Language Benchmarks Game), N = 100.
# Self-checking: the norm to 9 decimals; prints ms=<compute ms>.
import time

N = 100


def a(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def av(u, n):
    return [sum(a(i, j) * u[j] for j in range(n)) for i in range(n)]


def atv(u, n):
    return [sum(a(j, i) * u[j] for j in range(n)) for i in range(n)]


def atav(u, n):
    return atv(av(u, n), n)


def spectral(n):
    u = [1.0] * n
    for _ in range(10):
        v = atav(u, n)
        u = atav(v, n)
    vbv = sum(x * y for x, y in zip(u, v))
    vv = sum(x * x for x in v)
    return "%.9f" % ((vbv / vv) ** 0.5)


t0 = time.perf_counter()
result = spectral(N)
ms = (time.perf_counter() - t0) * 1000
assert result == "1.274219991", result
print("ms=%.3f" % ms)
