# Airlock's Python driver: runs each snippet in one persistent __main__ namespace.
# Loaded once per interpreter instance from /guest (the snapshot keeps it warm).
import os
import sys

# Imported before the interpreter's image is taken, so that every sandbox restored from it has them
# loaded: the modules agent code reaches for first (and what they import).
_WARM = (
    "abc", "argparse", "base64", "bisect", "calendar", "collections", "contextlib", "copy", "csv",
    "dataclasses", "datetime", "decimal", "enum", "fractions", "functools", "hashlib", "heapq",
    "io", "itertools", "json", "math", "operator", "pathlib", "pprint", "random", "re",
    "statistics", "string", "struct", "textwrap", "time", "types", "typing", "uuid", "warnings",
)


def _warm():
    import importlib

    for name in _WARM:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 (a module this build lacks is simply not preloaded)
            pass


_warm()

import airlock_net  # noqa: E402 (http.client and urllib through the host's network rules)

airlock_net.install()

import traceback  # noqa: E402

# snippets run in the real __main__ module, so that pickle, doctest and inspect find what they define
_main = sys.modules["__main__"].__dict__
sys.argv = [""]
sys.dont_write_bytecode = True
try:
    os.chdir("/workspace")
except OSError:
    pass


def _exit_code(e):
    code = e.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


_reseeded = False


def _reseed():
    """Seeds `random` anew in each sandbox restored from the image (which has it imported, seeded
    once), from the sandbox's own random source (the policy's)."""
    global _reseeded
    _reseeded = True
    r = sys.modules.get("random")
    if r is not None:
        try:
            r.seed()
        except OSError:
            pass  # the policy denies randomness: random keeps the image's (fixed) state


def run(code):
    """Runs one snippet; returns 0, or the exit status a python3 process would have."""
    if not _reseeded:
        _reseed()
    try:
        compiled = compile(code, "<string>", "exec")
        exec(compiled, _main)
        return 0
    except SystemExit as e:
        return _exit_code(e)
    except BaseException:
        etype, value, tb = sys.exc_info()
        # hide this driver's own frame, as python3 shows only the program's
        if tb is not None and tb.tb_frame.f_code is run.__code__:
            tb = tb.tb_next
        traceback.print_exception(etype, value, tb)
        return 1
    finally:
        try:
            sys.stdout.flush()
        except BaseException:
            pass
        try:
            sys.stderr.flush()
        except BaseException:
            pass


def configure(env_lines):
    """Sets os.environ to the policy's variables (NAME=VALUE per line)."""
    os.environ.clear()
    for line in env_lines.split("\n"):
        if "=" in line:
            k, v = line.split("=", 1)
            os.environ[k] = v
    return 0
