#!/usr/bin/env python3
"""Puts a dispatch profile into a WebAssembly module as its custom section, or takes it out.

    section.py set MODULE.wasm PROFILE.txt   # replaces any profile section, appends the new one
    section.py strip MODULE.wasm OUT.wasm    # the module without it
    section.py functions MODULE.wasm         # how many functions it has, imports included

The section is named "airlock.dispatch-profile" and holds the profile's text as it is (lines
"func N values LEN default D counts C0 C1 ..."; see core's DispatchProfile). Airlock's splitter
reads it when it compiles the module: the hot cases of that function's big switch stay in the
function and the rest go into groups of their own. Custom sections do not change what a module
computes, so the result is the same module to every engine. Deterministic: the same inputs give
the same bytes.
"""
import sys

NAME = b"airlock.dispatch-profile"


def uleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def read_uleb(data, pos):
    result = shift = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, pos


def without_profile(data):
    if data[:4] != b"\0asm":
        sys.exit("not a WebAssembly module")
    out = bytearray(data[:8])
    pos = 8
    while pos < len(data):
        start = pos
        sid = data[pos]
        size, body = read_uleb(data, pos + 1)
        end = body + size
        if end > len(data):
            sys.exit("truncated section")
        keep = True
        if sid == 0:
            n, name_at = read_uleb(data, body)
            keep = data[name_at:name_at + n] != NAME
        if keep:
            out += data[start:end]
        pos = end
    return bytes(out)


def functions(data):
    """Imported and defined functions of a module."""
    pos, n = 8, 0
    while pos < len(data):
        sid = data[pos]
        size, body = read_uleb(data, pos + 1)
        if sid == 2:
            count, p = read_uleb(data, body)
            for _ in range(count):
                for _ in range(2):
                    ln, p = read_uleb(data, p)
                    p += ln
                kind = data[p]
                p += 1
                if kind == 0:
                    n += 1
                    _, p = read_uleb(data, p)
                elif kind == 1:
                    p += 1
                    flags, p = read_uleb(data, p)
                    _, p = read_uleb(data, p)
                    if flags & 1:
                        _, p = read_uleb(data, p)
                elif kind == 2:
                    flags, p = read_uleb(data, p)
                    _, p = read_uleb(data, p)
                    if flags & 1:
                        _, p = read_uleb(data, p)
                elif kind == 3:
                    p += 2
                else:
                    sys.exit("unknown import kind")
        elif sid == 3:
            count, _ = read_uleb(data, body)
            n += count
        pos = body + size
    return n


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "functions":
        with open(sys.argv[2], "rb") as f:
            print(functions(f.read()))
        return
    if len(sys.argv) != 4 or sys.argv[1] not in ("set", "strip"):
        sys.exit(__doc__)
    with open(sys.argv[2], "rb") as f:
        data = without_profile(f.read())
    if sys.argv[1] == "strip":
        with open(sys.argv[3], "wb") as f:
            f.write(data)
        return
    with open(sys.argv[3], "rb") as f:
        text = f.read()
    payload = uleb(len(NAME)) + NAME + text
    with open(sys.argv[2], "wb") as f:
        f.write(data + b"\0" + uleb(len(payload)) + payload)


if __name__ == "__main__":
    main()
