package dev.airlock.core.link;

import dev.airlock.core.fuel.ByteReader;
import dev.airlock.core.fuel.ByteWriter;
import dev.airlock.core.fuel.MeteringException;

/**
 * Copies code (function bodies and constant expressions) from one module into the merged one,
 * rewriting every index it holds (functions, types, tables, globals, element and data segments)
 * through {@link Maps}; everything else is copied byte for byte. Memory indices are left as they
 * are: the merged module has at most one memory, so every one of them is 0.
 */
final class Code {
    /** Index maps of one part. */
    interface Maps {
        int func(int i);

        int type(int i);

        int table(int i);

        int global(int i);

        int elem(int i);

        int data(int i);
    }

    private final byte[] b;
    private final ByteReader r;
    private final ByteWriter w;
    private final Maps m;
    private int copied;

    private Code(byte[] b, ByteReader r, ByteWriter w, Maps m) {
        this.b = b;
        this.r = r;
        this.w = w;
        this.m = m;
        this.copied = r.pos();
    }

    /** Copies a function body (locals and code) that fills the reader's range. */
    static void body(byte[] b, ByteReader r, ByteWriter w, Maps m) {
        Code c = new Code(b, r, w, m);
        int groups = r.count();
        for (int i = 0; i < groups; i++) {
            r.count();
            Parsed.valType(r);
        }
        c.instructions(false);
    }

    /** Copies a constant expression up to and including its {@code end}. */
    static void expression(byte[] b, ByteReader r, ByteWriter w, Maps m) {
        new Code(b, r, w, m).instructions(true);
    }

    /** Skips a constant expression. */
    static void skipExpression(ByteReader r) {
        new Code(null, r, null, null).instructions(true);
    }

    private void replace(int start, long value) {
        w.bytes(b, copied, start);
        w.u32(value);
        copied = r.pos();
    }

    private void index(java.util.function.IntUnaryOperator map) {
        int at = r.pos();
        int v = r.count();
        if (w != null) {
            replace(at, map.applyAsInt(v));
        }
    }

    private void instructions(boolean expression) {
        int depth = 0;
        while (!r.atEnd()) {
            int op = r.u8();
            switch (op) {
                case 0x02, 0x03, 0x04 -> {
                    depth++;
                    blockType();
                }
                case 0x0B -> {
                    if (expression && depth == 0) {
                        flush();
                        return;
                    }
                    depth--;
                }
                case 0x0C, 0x0D, 0x20, 0x21, 0x22 -> r.u32();
                case 0x0E -> {
                    int n = r.count();
                    for (int i = 0; i <= n; i++) {
                        r.u32();
                    }
                }
                case 0x10, 0x12, 0xD2 -> index(m == null ? i -> i : m::func);
                case 0x11, 0x13 -> {
                    index(m == null ? i -> i : m::type);
                    index(m == null ? i -> i : m::table);
                }
                case 0x1C -> {
                    int n = r.count();
                    for (int i = 0; i < n; i++) {
                        Parsed.valType(r);
                    }
                }
                case 0x23, 0x24 -> index(m == null ? i -> i : m::global);
                case 0x25, 0x26 -> index(m == null ? i -> i : m::table);
                case 0x3F, 0x40 -> r.u32();
                case 0x41 -> r.signed(32);
                case 0x42 -> r.signed(64);
                case 0x43 -> r.skip(4);
                case 0x44 -> r.skip(8);
                case 0xD0 -> {
                    int ht = r.u8();
                    if (ht != 0x70 && ht != 0x6F) {
                        throw new MeteringException("unsupported: typed references");
                    }
                }
                case 0xFC -> prefixFC();
                case 0xFD -> prefixFD();
                default -> {
                    if (op >= 0x28 && op <= 0x3E) {
                        memarg();
                    } else if (!(op <= 0x01
                            || op == 0x05
                            || op == 0x0F
                            || op == 0x1A
                            || op == 0x1B
                            || op == 0xD1
                            || (op >= 0x45 && op <= 0xC4))) {
                        throw new MeteringException(
                                "unsupported: instruction 0x"
                                        + Integer.toHexString(op)
                                        + " in a linked core module");
                    }
                }
            }
        }
        if (expression) {
            throw new MeteringException("malformed: constant expression without end");
        }
        flush();
    }

    private void flush() {
        if (w != null) {
            w.bytes(b, copied, r.pos());
            copied = r.pos();
        }
    }

    private void blockType() {
        int t = r.peek();
        if (t == 0x40) {
            r.u8();
        } else if (t == 0x7F || t == 0x7E || t == 0x7D || t == 0x7C || t == 0x7B || t == 0x70
                || t == 0x6F) {
            r.u8();
        } else {
            int at = r.pos();
            long idx = r.signed(33);
            if (idx < 0 || idx > Integer.MAX_VALUE) {
                throw new MeteringException("unsupported: block type " + idx);
            }
            if (w != null) {
                w.bytes(b, copied, at);
                w.s64(m.type((int) idx));
                copied = r.pos();
            }
        }
    }

    private void memarg() {
        long flags = r.u32();
        if ((flags >>> 6) != 0) {
            r.u32();
        }
        r.u32();
    }

    private void prefixFC() {
        long sub = r.u32();
        switch ((int) Math.min(sub, 99)) {
            case 0, 1, 2, 3, 4, 5, 6, 7 -> {}
            case 8 -> {
                index(m == null ? i -> i : m::data);
                r.u32();
            }
            case 9 -> index(m == null ? i -> i : m::data);
            case 10 -> {
                r.u32();
                r.u32();
            }
            case 11 -> r.u32();
            case 12 -> {
                index(m == null ? i -> i : m::elem);
                index(m == null ? i -> i : m::table);
            }
            case 13 -> index(m == null ? i -> i : m::elem);
            case 14 -> {
                index(m == null ? i -> i : m::table);
                index(m == null ? i -> i : m::table);
            }
            case 15, 16, 17 -> index(m == null ? i -> i : m::table);
            default -> throw new MeteringException("unsupported: instruction 0xfc " + sub);
        }
    }

    private void prefixFD() {
        long sub = r.u32();
        if (sub > 0xFF) {
            throw new MeteringException("unsupported: SIMD instruction 0xfd " + sub);
        }
        int s = (int) sub;
        if (s <= 0x0B || s == 0x5C || s == 0x5D) {
            memarg();
        } else if (s == 0x0C || s == 0x0D) {
            r.skip(16);
        } else if (s >= 0x15 && s <= 0x22) {
            r.u8();
        } else if (s >= 0x54 && s <= 0x5B) {
            memarg();
            r.u8();
        }
    }
}
