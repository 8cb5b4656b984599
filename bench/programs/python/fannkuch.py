# fannkuch-redux (after the Computer Language Benchmarks Game), N = 8.
# Self-checking: checksum and maximum flips; prints ms=<compute ms>.
import time

N = 8


def fannkuch(n):
    perm1 = list(range(n))
    count = [0] * n
    max_flips = checksum = 0
    r = n
    nperm = 0
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        perm = perm1[:]
        flips = 0
        k = perm[0]
        while k:
            perm[:k + 1] = perm[k::-1]
            flips += 1
            k = perm[0]
        if flips > max_flips:
            max_flips = flips
        checksum += flips if nperm % 2 == 0 else -flips
        while True:
            if r == n:
                return checksum, max_flips
            p0 = perm1[0]
            perm1[:r] = perm1[1:r + 1]
            perm1[r] = p0
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1
        nperm += 1


t0 = time.perf_counter()
result = fannkuch(N)
ms = (time.perf_counter() - t0) * 1000
assert result == (1616, 22), result
print("ms=%.3f" % ms)
