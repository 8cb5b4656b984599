# Numbers: math, cmath, decimal, fractions, numbers, random (seeded), statistics, operator, functools, itertools
import cmath
import decimal
import fractions
import functools
import itertools
import math
import numbers
import operator
import random
import statistics

print(math.factorial(20), math.gcd(84, 36), math.isqrt(10**20), math.comb(10, 3), math.perm(5, 2))
print(round(math.sin(math.pi / 6), 12), math.hypot(3, 4), math.log2(1024), math.inf > 10**300, math.isnan(math.nan))
print(math.fsum([0.1] * 10), sum([0.1] * 10), math.prod(range(1, 6)), math.copysign(1, -0.0))
print(cmath.sqrt(-4), abs(complex(3, 4)), cmath.phase(-1))
decimal.getcontext().prec = 30
print(decimal.Decimal(1) / decimal.Decimal(7), decimal.Decimal("0.1") + decimal.Decimal("0.2"))
print(decimal.Decimal("2.675").quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP))
print(fractions.Fraction(3, 4) + fractions.Fraction(1, 6), fractions.Fraction("0.125"), fractions.Fraction(1.5).limit_denominator())
print(isinstance(3, numbers.Integral), isinstance(2.5, numbers.Real), isinstance(1j, numbers.Complex))
rng = random.Random(12345)
print(rng.randint(1, 100), rng.choice("abcdef"), rng.sample(range(50), 3), round(rng.random(), 10))
items = list(range(10))
rng.shuffle(items)
print(items, round(rng.gauss(0, 1), 10), rng.choices("xyz", weights=[1, 2, 3], k=5))
data = [2, 4, 4, 4, 5, 5, 7, 9]
print(statistics.mean(data), statistics.median(data), statistics.mode(data), statistics.pstdev(data))
print(round(statistics.stdev(data), 10), statistics.quantiles(data, n=4), statistics.fmean([1, 2, 3]))
print(operator.itemgetter(1, 0)("ab"), operator.attrgetter("real")(5), list(map(operator.mul, [1, 2], [3, 4])))
print(functools.reduce(operator.add, range(10)), functools.partial(pow, 2)(10))


@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


print(fib(100), fib.cache_info().hits)
print(list(itertools.accumulate([1, 2, 3, 4])), list(itertools.combinations("abc", 2)), list(itertools.permutations([1, 2, 3], 2))[:3])
print(list(itertools.islice(itertools.cycle("ab"), 5)), list(itertools.chain([1], [2, 3])), list(itertools.product([0, 1], repeat=2)))
print([(k, len(list(g))) for k, g in itertools.groupby("aaabbc")], list(itertools.zip_longest([1, 2], "a", fillvalue="-")))
print(list(itertools.pairwise([1, 2, 3])), list(itertools.compress("abc", [1, 0, 1])), list(itertools.starmap(pow, [(2, 3)])))
print(2**100, (-7) // 2, (-7) % 2, divmod(17, 5), int("ff", 16), bin(10), 0.1 + 0.2, 1e300 * 1e10, round(2.5), round(3.5))
print(float("nan") == float("nan"), (255).to_bytes(2, "big"), int.from_bytes(b"\x01\x00", "little"), (10).bit_length())
