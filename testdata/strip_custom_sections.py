#!/usr/bin/env python3
"""Copies a WebAssembly module without its custom sections (debug info, names, producers).

Usage: strip_custom_sections.py IN.wasm OUT.wasm

Custom sections (id 0) carry no semantics: removing them leaves every function, import,
export and data segment as it was, like `wasm-strip` from wabt.
"""
import sys


def leb(data, pos):
    result = shift = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, pos


def strip(data):
    if data[:4] != b"\0asm":
        raise ValueError("not a WebAssembly module")
    out = bytearray(data[:8])
    pos = 8
    while pos < len(data):
        start = pos
        sid = data[pos]
        size, body = leb(data, pos + 1)
        pos = body + size
        if sid != 0:
            out += data[start:pos]
    return bytes(out)


if __name__ == "__main__":
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, "rb") as f:
        stripped = strip(f.read())
    with open(dst, "wb") as f:
        f.write(stripped)
