"""Smoke test for the WASI build: imports each module and does something small with it.
Run by python.wasm with the zip at /usr/local/lib and a writable folder at /work (see check.sh).
Prints one line per check, "ok" or "FAIL" with the error; exits 1 if anything failed."""
import sys
import traceback

results = []


def check(name):
    def wrap(fn):
        try:
            detail = fn()
            results.append((name, True, detail or ""))
        except BaseException as e:  # noqa: BLE001 - report everything, SystemExit included
            results.append((name, False, f"{type(e).__name__}: {e}"))
            traceback.print_exc(limit=3, file=sys.stdout)
        return fn
    return wrap


@check("sqlite3")
def _():
    import sqlite3
    out = []
    for path in (":memory:", "/work/test.db"):
        con = sqlite3.connect(path)
        con.execute("drop table if exists t")
        con.execute("create table t (a integer, b text)")
        con.executemany("insert into t values (?, ?)", [(1, "x"), (2, "y")])
        con.commit()
        out.append(con.execute("select sum(a), group_concat(b) from t").fetchone())
        con.close()
    con = sqlite3.connect("/work/test.db")
    assert con.execute("select count(*) from t").fetchone() == (2,)
    return f"{sqlite3.sqlite_version} {out}"


@check("bz2")
def _():
    import bz2
    d = b"hello " * 1000
    assert bz2.decompress(bz2.compress(d)) == d


@check("lzma")
def _():
    import lzma
    d = b"hello " * 1000
    assert lzma.decompress(lzma.compress(d)) == d
    assert lzma.decompress(lzma.compress(d, format=lzma.FORMAT_ALONE)) == d


@check("zlib")
def _():
    import zlib, gzip
    d = b"hello " * 1000
    assert zlib.decompress(zlib.compress(d)) == d and gzip.decompress(gzip.compress(d)) == d
    return zlib.ZLIB_RUNTIME_VERSION


@check("hashlib")
def _():
    import hashlib
    assert hashlib.md5(b"abc").hexdigest() == "900150983cd24fb0d6963f7d28e17f72"
    assert hashlib.sha256(b"abc").hexdigest().startswith("ba7816bf")
    assert hashlib.sha3_256(b"abc").hexdigest().startswith("3a985da7")
    assert hashlib.blake2b(b"abc").hexdigest().startswith("ba80a53f")
    return ",".join(sorted(hashlib.algorithms_available))


@check("json")
def _():
    import json
    assert json.loads(json.dumps({"a": [1, 2.5, None]})) == {"a": [1, 2.5, None]}


@check("decimal")
def _():
    import decimal
    assert str(decimal.Decimal(1) / decimal.Decimal(7))[:8] == "0.142857"
    return decimal.__name__ + (" (C)" if hasattr(decimal, "__libmpdec_version__") else "")


@check("datetime")
def _():
    import datetime
    d = datetime.datetime(2024, 2, 29, 12) + datetime.timedelta(days=1)
    assert d.isoformat() == "2024-03-01T12:00:00"
    return datetime.datetime.now().isoformat()


@check("zoneinfo")
def _():
    import zoneinfo, datetime
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    off = datetime.datetime(2024, 7, 1, tzinfo=paris).utcoffset()
    assert off == datetime.timedelta(hours=2), off
    n = len(zoneinfo.available_timezones())
    return f"Europe/Paris summer offset {off}, {n} zones"


@check("unittest")
def _():
    import unittest, io

    class T(unittest.TestCase):
        def test_add(self):
            self.assertEqual(1 + 1, 2)
    r = unittest.TextTestRunner(stream=io.StringIO()).run(unittest.defaultTestLoader.loadTestsFromTestCase(T))
    assert r.wasSuccessful() and r.testsRun == 1


@check("doctest")
def _():
    import doctest, types
    m = types.ModuleType("m")
    m.__doc__ = ">>> 1 + 1\n2\n"
    r = doctest.testmod(m)
    assert r.attempted == 1 and r.failed == 0


@check("asyncio")
def _():
    import asyncio

    async def one(x):
        await asyncio.sleep(0)
        return x

    async def main():
        return await asyncio.gather(one(1), one(2))
    assert asyncio.run(main()) == [1, 2]


@check("concurrent.futures")
def _():
    import concurrent.futures
    try:
        with concurrent.futures.ThreadPoolExecutor(1) as ex:
            return f"ThreadPoolExecutor result {ex.submit(lambda: 2).result()}"
    except Exception as e:  # expected: no threads under WASI preview 1
        return f"imported; ThreadPoolExecutor: {type(e).__name__}: {e}"


@check("csv")
def _():
    import csv, io
    assert list(csv.reader(io.StringIO('a,"b,c"\n'))) == [["a", "b,c"]]


@check("xml.etree.ElementTree")
def _():
    import xml.etree.ElementTree as ET
    assert ET.fromstring("<a><b x='1'/></a>").find("b").get("x") == "1"
    import pyexpat
    return pyexpat.EXPAT_VERSION


@check("re, struct, array, unicodedata")
def _():
    import re, struct, array, unicodedata
    assert re.sub(r"(\d+)", r"<\1>", "a12b") == "a<12>b"
    assert struct.unpack("<iH", struct.pack("<iH", -5, 7)) == (-5, 7)
    assert array.array("d", [1.0, 2.0]).tobytes()[:8] == struct.pack("d", 1.0)
    assert unicodedata.name("é") == "LATIN SMALL LETTER E WITH ACUTE"
    return unicodedata.unidata_version


@check("statistics, fractions, collections, itertools, functools")
def _():
    import statistics, fractions, collections, itertools, functools
    assert statistics.median([3, 1, 2]) == 2 and statistics.stdev([1, 2, 3]) == 1.0
    assert fractions.Fraction(1, 3) + fractions.Fraction(1, 6) == fractions.Fraction(1, 2)
    assert collections.Counter("abca").most_common(1) == [("a", 2)]
    assert list(itertools.accumulate([1, 2, 3])) == [1, 3, 6]
    assert functools.reduce(lambda a, b: a * b, range(1, 6)) == 120


@check("dataclasses, typing, enum")
def _():
    import dataclasses, typing, enum

    @dataclasses.dataclass
    class P:
        x: int
        y: typing.Optional[int] = None

    class C(enum.Enum):
        RED = 1
    assert dataclasses.asdict(P(1)) == {"x": 1, "y": None} and C(1) is C.RED


@check("pathlib, tempfile")
def _():
    import pathlib, tempfile
    p = pathlib.Path("/work/p.txt")
    p.write_text("hi")
    assert p.read_text() == "hi"
    with tempfile.TemporaryDirectory() as d:
        (pathlib.Path(d) / "f").write_text("x")
        return f"tempdir {d}"


@check("textwrap, difflib, heapq, bisect")
def _():
    import textwrap, difflib, heapq, bisect
    assert textwrap.wrap("aaa bbb ccc", 7) == ["aaa bbb", "ccc"]
    assert difflib.SequenceMatcher(None, "abcd", "abxd").ratio() == 0.75
    assert heapq.nsmallest(2, [5, 1, 3]) == [1, 3] and bisect.bisect([1, 2, 4], 3) == 2


@check("random, secrets, base64")
def _():
    import random, secrets, base64
    random.seed(1)
    assert random.random() == 0.13436424411240122
    assert len(secrets.token_hex(8)) == 16 and base64.b64decode(base64.b64encode(b"xy")) == b"xy"


@check("email, http.client, urllib.parse")
def _():
    import email, email.message, http.client, urllib.parse
    m = email.message.EmailMessage()
    m["Subject"] = "hi"
    m.set_content("body")
    assert email.message_from_string(m.as_string())["Subject"] == "hi"
    assert urllib.parse.urlsplit("http://h/p?q=1").query == "q=1"


@check("select, _socket")
def _():
    out = []
    for name in ("select", "_socket"):
        try:
            __import__(name)
            out.append(f"{name} imports")
        except ImportError as e:
            out.append(f"{name}: {e}")
    return "; ".join(out)


@check("recursion")
def _():
    def f(n):
        return f(n + 1)
    try:
        f(0)
    except RecursionError as e:
        return f"RecursionError: {e}"
    raise AssertionError("no RecursionError")


@check("deep C recursion (repr of nested lists)")
def _():
    x = []
    for _ in range(100000):
        x = [x]
    try:
        repr(x)
    except RecursionError as e:
        return f"RecursionError: {e}"
    return "no error"


for name, ok, detail in results:
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")
print(sys.version, sys.platform)
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
