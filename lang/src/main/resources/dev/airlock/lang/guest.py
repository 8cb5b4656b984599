# Airlock's Python driver: runs each snippet in one persistent __main__ namespace.
# Loaded once per interpreter instance from /guest (the snapshot keeps it warm).
import os
import sys
import traceback

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
