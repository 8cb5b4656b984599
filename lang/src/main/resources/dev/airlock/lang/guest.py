# Airlock's Python driver: runs each snippet in one persistent __main__ namespace.
# Loaded once per interpreter instance from /guest (the snapshot keeps it warm).
import errno
import os
import sys

import _socket

# What a sandbox never has, whatever its policy: said in the errors a program gets instead of the
# AttributeError or bare ENOTSUP that this WASI build of CPython would raise.
_NO_SOCKETS = (
    "network access is not available in the Airlock sandbox: its policy grants no sockets"
)
_NO_PROCESSES = "the Airlock sandbox cannot run programs: no policy grants processes"


def _no_network(*args, **kwargs):
    raise PermissionError(errno.EACCES, _NO_SOCKETS)


class _Socket(_socket.socket):
    """socket.socket's base: creating a socket is refused with a PermissionError."""

    __slots__ = ()

    def __init__(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, _NO_SOCKETS)


# before `socket` is first imported, which copies these names
_socket.socket = _socket.SocketType = _Socket
for _name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr",
              "getnameinfo", "socketpair"):
    setattr(_socket, _name, _no_network)


def _no_process(*args, **kwargs):
    raise PermissionError(errno.EPERM, _NO_PROCESSES)


os.system = _no_process


def _patch_subprocess(module):
    def refuse(self, args, *rest, **kwargs):
        program = args if isinstance(args, (str, bytes, os.PathLike)) else next(iter(args), "")
        raise PermissionError(errno.EPERM, _NO_PROCESSES, os.fsdecode(program))

    module.Popen.__init__ = refuse


class _PatchedLoader:
    """Runs a module's own loader, then patches the module (any other attribute: the loader's)."""

    def __init__(self, loader, patch):
        self._loader = loader
        self._patch = patch

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._patch(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)


class _Patcher:
    """A meta-path finder that patches a few standard modules as they are imported."""

    PATCHES = {"subprocess": _patch_subprocess}

    def find_spec(self, fullname, path=None, target=None):
        patch = self.PATCHES.get(fullname)
        if patch is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _PatchedLoader(spec.loader, patch)
                return spec
        return None


sys.meta_path.insert(0, _Patcher())

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

import json  # noqa: E402
import linecache  # noqa: E402
import traceback  # noqa: E402

# the interpreter's own entries: the standard library, then this driver's folder
_BASE_PATH = [p for p in sys.path if p != "/guest"] + ["/guest"]


def _set_path(pythonpath="", packages=()):
    """sys.path as python3 -c builds it: the working folder (''), PYTHONPATH's entries, the
    standard library, then the read-only package folders (site-packages)."""
    entries = [""]
    for p in pythonpath.split(":"):
        if p and p not in entries:
            entries.append(p)
    sys.path[:] = entries + _BASE_PATH[:-1] + [p for p in packages if p not in entries] + _BASE_PATH[-1:]


_set_path()

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


def _fresh_folders():
    """Forgets what the import system knows of folders' contents (files may have been written since,
    within the same clock tick: a frozen clock never changes a folder's time)."""
    for finder in list(sys.path_importer_cache.values()):
        if finder is not None and type(finder).__name__ == "FileFinder":
            finder.invalidate_caches()


def run(code, name="<string>"):
    """Runs one snippet; returns 0, or the exit status a python3 process would have. Tracebacks
    name it `name` and show its lines."""
    if not _reseeded:
        _reseed()
    _fresh_folders()
    linecache.cache[name] = (len(code), None, code.splitlines(True), name)
    try:
        compiled = compile(code, name, "exec")
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


def run_program(request):
    """Runs a program given as JSON: {"code", "name", "argv"}. A file's program (a name not in
    <angle brackets>) gets sys.argv [name] + argv and __file__; "<string>" gets ["-c"] + argv; any
    other <name> (a session's inputs) leaves sys.argv as it is."""
    r = json.loads(request)
    name = r.get("name") or "<string>"
    argv = list(r.get("argv") or ())
    if not name.startswith("<"):
        sys.argv = [name] + argv
        _main["__file__"] = name
    elif name == "<string>":
        sys.argv = ["-c"] + argv
    return run(r["code"], name)


def configure(request):
    """Applies a policy's settings, given as JSON: {"env": {NAME: VALUE}, "packages": [folder]}:
    os.environ is exactly env, and sys.path holds PYTHONPATH's entries and the package folders."""
    r = json.loads(request)
    os.environ.clear()
    os.environ.update(r.get("env") or {})
    _set_path(os.environ.get("PYTHONPATH", ""), r.get("packages") or ())
    _fresh_folders()
    return 0
