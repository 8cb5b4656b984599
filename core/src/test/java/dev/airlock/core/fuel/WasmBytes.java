package dev.airlock.core.fuel;

import java.io.ByteArrayOutputStream;

/** Builds WebAssembly binaries byte by byte, for modules too big to write as text. */
final class WasmBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static WasmBytes of() {
        return new WasmBytes();
    }

    WasmBytes u8(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    /** Unsigned LEB128. */
    WasmBytes u32(long v) {
        do {
            int b = (int) (v & 0x7f);
            v >>>= 7;
            out.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
        return this;
    }

    WasmBytes bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    /** {@code b} repeated {@code n} times. */
    WasmBytes repeat(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            out.write(b, 0, b.length);
        }
        return this;
    }

    /** A vector: its length, then {@code b}, whose size is given. */
    WasmBytes sized(WasmBytes b) {
        return u32(b.size()).bytes(b.toByteArray());
    }

    WasmBytes section(int id, WasmBytes payload) {
        return u8(id).sized(payload);
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** The magic number and version. */
    static WasmBytes header() {
        return of().u8(0, 'a', 's', 'm', 1, 0, 0, 0);
    }

    /**
     * A module of {@code () -> ()} functions with these bodies (each: locals and code, without its
     * size), the last one exported as {@code _start}.
     */
    static byte[] module(byte[]... bodies) {
        WasmBytes types = of().u32(1).u8(0x60, 0, 0);
        WasmBytes funcs = of().u32(bodies.length);
        WasmBytes code = of().u32(bodies.length);
        for (byte[] b : bodies) {
            funcs.u32(0);
            code.u32(b.length).bytes(b);
        }
        WasmBytes exports =
                of().u32(1).u32(6).bytes("_start".getBytes()).u8(0).u32(bodies.length - 1);
        return header().section(1, types)
                .section(3, funcs)
                .section(7, exports)
                .section(10, code)
                .toByteArray();
    }
}
