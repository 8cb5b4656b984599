# Deep recursion ends as a catchable RecursionError, and the interpreter goes on
import json
import sys


def down(n):
    return down(n + 1)


try:
    down(0)
except RecursionError as e:
    print("RecursionError", "maximum recursion depth" in str(e))
nested = []
for _ in range(100000):
    nested = [nested]
try:
    json.dumps(nested)
except RecursionError:
    print("json RecursionError")
try:
    repr(nested)
except RecursionError:
    print("repr RecursionError")
sys.setrecursionlimit(200)
try:
    down(0)
except RecursionError:
    print("lower limit works")
print("still running", sum(range(10)))
