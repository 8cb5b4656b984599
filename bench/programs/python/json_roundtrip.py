# JSON round trips: a nested document of 400 records (strings, numbers, lists, dicts, unicode),
# encoded with json.dumps and decoded with json.loads 40 times (indented every other time).
# Self-checking: every decoded copy equals the original, and the encoded lengths; prints ms=<compute ms>.
import json
import time

RECORDS = 400
ROUNDS = 40


def document():
    x = 7
    recs = []
    for i in range(RECORDS):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        recs.append({
            "id": i,
            "name": "record-%d-\u00e9\u4e2d" % i,
            "score": (x % 100000) / 7.0,
            "active": x % 3 == 0,
            "tags": ["t%d" % (x % k) for k in range(2, 9)],
            "nested": {"a": [x % 10, x % 100, None], "b": {"c": "quote \" and \\ slash"}},
        })
    return {"version": 1, "records": recs}


def roundtrips():
    doc = document()
    lengths = 0
    for r in range(ROUNDS):
        s = json.dumps(doc, indent=2 if r % 2 else None, sort_keys=True)
        lengths += len(s)
        back = json.loads(s)
        if back != doc:
            raise AssertionError("round trip %d differs" % r)
    return lengths


t0 = time.perf_counter()
result = roundtrips()
ms = (time.perf_counter() - t0) * 1000
assert result == 4947880, result
print("ms=%.3f" % ms)
