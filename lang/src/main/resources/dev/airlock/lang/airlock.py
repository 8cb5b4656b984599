"""Airlock's bridge to host tools: airlock.call(name, args) -> result (JSON in and out)."""
import json as _json
import os as _os

_DEVICE = "/dev/airlock"


class ToolError(Exception):
    """A tool call failed: not granted, refused by the tool, or malformed."""


class BridgeUnavailable(OSError):
    """The tool device cannot be opened (this sandbox has none)."""


def exchange(request):
    """Sends one request (bytes) over the tool device and returns the host's whole answer (bytes).
    Raises BridgeUnavailable if the device cannot be opened, another OSError if the exchange fails
    (EINVAL: the request is too large)."""
    try:
        fd = _os.open(_DEVICE, _os.O_RDWR)
    except OSError as e:
        raise BridgeUnavailable(e.errno, e.strerror, e.filename) from None
    try:
        view = memoryview(request)
        while view:
            n = _os.write(fd, view)
            view = view[n:]
        chunks = []
        while True:
            chunk = _os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        _os.close(fd)


def call(name, args=None):
    """Calls host tool `name` with JSON-serialisable `args`; returns its JSON result."""
    if not isinstance(name, str):
        raise TypeError("tool name must be a str")
    request = (name + "\n" + _json.dumps({} if args is None else args)).encode("utf-8")
    try:
        raw = exchange(request)
    except BridgeUnavailable as e:
        raise ToolError("the tool bridge is not available: %s" % e) from None
    except OSError as e:
        raise ToolError("tool request failed: %s" % e) from None
    answer = _json.loads(raw.decode("utf-8"))
    if not answer.get("ok"):
        raise ToolError(answer.get("error", "tool failed"))
    return answer.get("result")
