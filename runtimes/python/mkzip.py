"""Writes python313.zip, reproducibly: entries sorted by name, all dated 1980-01-01 00:00:00,
mode 0644, deflate level 9, no directory entries.

usage: mkzip.py OUT.zip LIB_DIR SYSCONFIG_DIR TZ_DIR
  LIB_DIR        the source tree's Lib/: its .py files, less what cannot run under WASI or is tests
  SYSCONFIG_DIR  the cross build's build/lib.wasi-wasm32-3.13/ (holds _sysconfigdata_*.py)
  TZ_DIR         compiled TZif files (zic's output): packaged as `tzdata`, like PyPI's tzdata
"""
import os
import sys
import zipfile

# Top-level packages and modules left out: test suites, GUI, and what needs processes or a venv.
EXCLUDE_TOP = {"test", "idlelib", "tkinter", "turtledemo", "turtle.py", "ensurepip", "lib2to3",
               "venv", "__phello__", "site-packages"}
# Folders left out wherever they are.
EXCLUDE_DIRS = {"tests", "__pycache__"}
STAMP = (1980, 1, 1, 0, 0, 0)

TZDATA_INIT = '''\
# Time zone data for zoneinfo, compiled with zic from Debian's tzdata sources (see
# runtimes/python/build.sh in Airlock); laid out like the tzdata package on PyPI.
IANA_VERSION = {version!r}
__version__ = {version!r}
'''


def stdlib(lib):
    out = {}
    for root, dirs, files in os.walk(lib):
        rel = os.path.relpath(root, lib)
        top = rel.split(os.sep)[0]
        if rel == ".":
            dirs[:] = [d for d in dirs if d not in EXCLUDE_TOP]
        dirs[:] = [d for d in dirs if d not in EXCLUDE_DIRS]
        for f in files:
            if not f.endswith(".py") or (rel == "." and f in EXCLUDE_TOP):
                continue
            name = f if rel == "." else os.path.join(rel, f)
            out[name.replace(os.sep, "/")] = os.path.join(root, f)
    return out


def tzdata(tzdir):
    out = {}
    zones = []
    for root, dirs, files in os.walk(tzdir):
        rel = os.path.relpath(root, tzdir)
        pkg = "tzdata/zoneinfo" if rel == "." else "tzdata/zoneinfo/" + rel.replace(os.sep, "/")
        out[pkg + "/__init__.py"] = b""
        for f in files:
            if f.startswith("."):
                continue
            out[pkg + "/" + f] = os.path.join(root, f)
            if f != "tzdata.zi":
                zones.append(f if rel == "." else rel.replace(os.sep, "/") + "/" + f)
    with open(os.path.join(tzdir, ".version")) as v:
        version = v.read().strip()
    out["tzdata/__init__.py"] = TZDATA_INIT.format(version=version).encode()
    out["tzdata/zones"] = ("\n".join(sorted(zones)) + "\n").encode()
    return out


def main(out, lib, sysconfig_dir, tzdir):
    entries = stdlib(lib)
    for f in os.listdir(sysconfig_dir):
        if f.startswith("_sysconfigdata_") and f.endswith(".py"):
            entries[f] = os.path.join(sysconfig_dir, f)
    entries.update(tzdata(tzdir))
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name in sorted(entries):
            src = entries[name]
            if isinstance(src, str):
                with open(src, "rb") as f:
                    data = f.read()
            else:
                data = src
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            z.writestr(info, data, compresslevel=9)
    os.replace(tmp, out)
    print(f"mkzip: {len(entries)} entries, {os.path.getsize(out)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:])
