# Compiles the Python image's own standard library to bytecode, inside Airlock's sandbox (so the
# bytecode is exactly what this CPython 3.13 makes), and writes /out/stdlib.pycs: a marshalled
# dict {"magic", "index": {bytecode path: (offset, length)}, "data": zlib-compressed .pyc files}.
# Each .pyc is hash-based and checked: CPython compares it with its source's hash on import and
# compiles the source instead if they differ, so a stale file is never used.
# Run through generate.sh.
import _imp
import importlib.util
import marshal
import os
import sys
import zlib
from importlib import _bootstrap_external as be

ROOT = os.path.dirname(os.__file__)
SKIP = {"test", "tests", "idlelib", "tkinter", "turtledemo", "ensurepip", "lib2to3",
        "pydoc_data", "site-packages", "venv", "__pycache__", "__phello__"}

index = {}
data = bytearray()
count = 0
for dirpath, dirnames, filenames in os.walk(ROOT):
    dirnames[:] = sorted(d for d in dirnames if d not in SKIP)
    for name in sorted(filenames):
        if not name.endswith(".py"):
            continue
        path = os.path.join(dirpath, name)
        with open(path, "rb") as f:
            source = f.read()
        try:
            code = compile(source, path, "exec", dont_inherit=True, optimize=0)
        except SyntaxError:
            continue  # a file CPython could not import either (templates, bad_*.py)
        pyc = be._code_to_hash_pyc(code, _imp.source_hash(be._RAW_MAGIC_NUMBER, source), True)
        packed = zlib.compress(pyc, 9)
        index[importlib.util.cache_from_source(path)] = (len(data), len(packed))
        data += packed
        count += 1

blob = marshal.dumps({"magic": importlib.util.MAGIC_NUMBER, "index": index, "data": bytes(data)})
with open("/out/stdlib.pycs", "wb") as f:
    f.write(blob)
print(f"{count} modules, {len(blob)} bytes, Python {sys.version.split()[0]}")
