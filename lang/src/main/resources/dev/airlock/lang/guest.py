# Airlock's Python driver: runs each snippet in one persistent __main__ namespace.
# Loaded once per interpreter instance from /guest (the snapshot keeps it warm).
import os
import sys


def _install_stdlib_bytecode(path="/guest/stdlib.pycs"):
    """Serves the standard library's bytecode from memory (made by lang/pyc/generate.py).

    The table is read once, before the interpreter's image is taken, and its file removed, so
    every instance restored from the image shares it. Source files stay where they are (tracebacks
    and inspect still read them); each .pyc is hash-checked against its source on import, so a
    stale entry is compiled from source as if it were absent.
    """
    import marshal

    try:
        with open(path, "rb") as f:
            table = marshal.loads(f.read())
        os.remove(path)
    except (OSError, ValueError, EOFError, TypeError):
        return
    import zlib

    import _frozen_importlib_external as bootstrap

    if not isinstance(table, dict) or table.get("magic") != bootstrap.MAGIC_NUMBER:
        return
    index = table["index"]
    data = table["data"]

    class StdlibLoader(bootstrap.SourceFileLoader):
        def get_data(self, path):
            entry = index.get(path)
            if entry is None:
                return super().get_data(path)
            start, length = entry
            return zlib.decompress(data[start : start + length])

    hook = bootstrap.FileFinder.path_hook(
        (bootstrap.ExtensionFileLoader, bootstrap.EXTENSION_SUFFIXES),
        (StdlibLoader, bootstrap.SOURCE_SUFFIXES),
        (bootstrap.SourcelessFileLoader, bootstrap.BYTECODE_SUFFIXES),
    )
    for i, h in enumerate(sys.path_hooks):
        if getattr(h, "__qualname__", "").startswith("FileFinder.path_hook"):
            sys.path_hooks[i] = hook
            break
    else:
        sys.path_hooks.append(hook)
    sys.path_importer_cache.clear()


_install_stdlib_bytecode()

import traceback  # noqa: E402 (after the bytecode table, which serves it and what it imports)

_main = {"__name__": "__main__", "__builtins__": __builtins__}
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


def run(code):
    """Runs one snippet; returns 0, or the exit status a python3 process would have."""
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
