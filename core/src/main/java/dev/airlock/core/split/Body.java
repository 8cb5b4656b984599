package dev.airlock.core.split;

import dev.airlock.core.fuel.ByteReader;
import dev.airlock.core.fuel.ByteWriter;
import java.util.Arrays;

/** One function body: its declared locals (one type byte each) and its code, ending in end. */
final class Body {
    /** Bodies with more declared locals than this are left alone. */
    private static final int MAX_LOCALS = 50_000;

    private final byte[] source;
    private final int start;
    private final int end;
    private byte[] locals;
    private byte[] code;

    /**
     * The local the outliner keeps the exit codes of this body's calls in (followed by one for each
     * of the function's results), or -1 before the first call that needs one.
     */
    int exitTemp = -1;

    /** A body still as it is in the module, parsed when first needed. */
    Body(byte[] source, int start, int end) {
        this.source = source;
        this.start = start;
        this.end = end;
    }

    /** A new body. */
    Body(byte[] locals, byte[] code) {
        this(null, 0, 0);
        this.locals = locals;
        this.code = code;
    }

    static boolean isValType(int b) {
        return b == 0x7F || b == 0x7E || b == 0x7D || b == 0x7C || b == 0x7B || b == 0x70
                || b == 0x6F;
    }

    /** The encoded size, as in the module, of the unparsed body. */
    int sourceSize() {
        return code == null ? end - start : code.length;
    }

    private void parse() {
        if (code != null) {
            return;
        }
        ByteReader r = new ByteReader(source, start, end);
        int groups = r.count();
        byte[] l = new byte[16];
        int n = 0;
        for (int i = 0; i < groups; i++) {
            int count = r.count();
            int t = r.u8();
            if (!isValType(t) || (long) n + count > MAX_LOCALS) {
                throw new IllegalArgumentException("locals not handled");
            }
            if (n + count > l.length) {
                l = Arrays.copyOf(l, Math.max(l.length * 2, n + count));
            }
            Arrays.fill(l, n, n + count, (byte) t);
            n += count;
        }
        locals = Arrays.copyOf(l, n);
        code = Arrays.copyOfRange(source, r.pos(), end);
    }

    byte[] locals() {
        parse();
        return locals;
    }

    byte[] code() {
        parse();
        return code;
    }

    void set(byte[] newLocals, byte[] newCode) {
        this.locals = newLocals;
        this.code = newCode;
    }

    /** The body as the code section holds it. */
    ByteWriter encode() {
        if (code == null) {
            ByteWriter w = new ByteWriter(end - start);
            return w.bytes(source, start, end);
        }
        ByteWriter w = new ByteWriter(code.length + 16);
        int groups = 0;
        for (int i = 0; i < locals.length; i++) {
            if (i == 0 || locals[i] != locals[i - 1]) {
                groups++;
            }
        }
        w.u32(groups);
        for (int i = 0; i < locals.length; ) {
            int j = i;
            while (j < locals.length && locals[j] == locals[i]) {
                j++;
            }
            w.u32(j - i).u8(locals[i]);
            i = j;
        }
        return w.bytes(code, 0, code.length);
    }
}
