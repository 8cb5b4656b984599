"""Airlock's bridge to host tools: airlock.call(name, args) -> result (JSON in and out)."""
import json as _json
import os as _os

_DEVICE = "/dev/airlock"


class ToolError(Exception):
    """A tool call failed: not granted, refused by the tool, or malformed."""


def call(name, args=None):
    """Calls host tool `name` with JSON-serialisable `args`; returns its JSON result."""
    if not isinstance(name, str):
        raise TypeError("tool name must be a str")
    request = (name + "\n" + _json.dumps({} if args is None else args)).encode("utf-8")
    try:
        fd = _os.open(_DEVICE, _os.O_RDWR)
    except OSError as e:
        raise ToolError("the tool bridge is not available: %s" % e) from None
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
    except OSError as e:
        raise ToolError("tool request failed: %s" % e) from None
    finally:
        _os.close(fd)
    answer = _json.loads(b"".join(chunks).decode("utf-8"))
    if not answer.get("ok"):
        raise ToolError(answer.get("error", "tool failed"))
    return answer.get("result")
