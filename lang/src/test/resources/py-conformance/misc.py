# Program plumbing: argparse, getopt, logging, gettext, contextlib, errno, atexit, gc, string, textwrap, sys, builtins
import argparse
import atexit
import builtins
import contextlib
import errno
import gc
import getopt
import gettext
import io
import logging
import sys

parser = argparse.ArgumentParser(prog="tool")
parser.add_argument("path")
parser.add_argument("-n", "--count", type=int, default=1)
parser.add_argument("--verbose", action="store_true")
args = parser.parse_args(["data.txt", "-n", "3", "--verbose"])
print(args.path, args.count, args.verbose)
err = io.StringIO()
with contextlib.redirect_stderr(err):
    try:
        parser.parse_args([])
    except SystemExit as e:
        print("exit", e.code)
print(err.getvalue().strip().splitlines()[-1])
print(getopt.getopt(["-a", "-b", "val", "rest"], "ab:"))
stream = io.StringIO()
log = logging.getLogger("conformance")
handler = logging.StreamHandler(stream)
handler.setFormatter(logging.Formatter("%(levelname)s:%(name)s:%(message)s"))
log.addHandler(handler)
log.setLevel(logging.INFO)
log.debug("hidden")
log.info("shown %d", 42)
log.warning("careful")
print(stream.getvalue().splitlines())
t = gettext.NullTranslations()
print(t.gettext("hello"), t.ngettext("file", "files", 2))
with contextlib.suppress(ZeroDivisionError):
    1 / 0
print("suppressed")


@contextlib.contextmanager
def tag(name):
    print(f"<{name}>")
    yield
    print(f"</{name}>")


with tag("b"):
    print("bold")
with contextlib.ExitStack() as stack:
    stack.callback(print, "cleanup")
print(errno.errorcode[errno.ENOENT], errno.errorcode[errno.EACCES])
atexit.register(lambda: None)
print(gc.collect() >= 0, gc.isenabled(), sys.version_info[:2] >= (3, 11), builtins.len("abc"))
print(sys.getrecursionlimit() >= 1000, isinstance(sys.argv, list), sys.byteorder)
try:
    raise ExceptionGroup("many", [ValueError("v"), TypeError("t")])
except* ValueError as eg:
    print("caught", [str(e) for e in eg.exceptions])
except* TypeError as eg:
    print("caught", [str(e) for e in eg.exceptions])
match {"kind": "point", "xy": (1, 2)}:
    case {"kind": "point", "xy": (x, y)}:
        print("point", x + y)
