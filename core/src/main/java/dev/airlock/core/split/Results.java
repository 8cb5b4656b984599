package dev.airlock.core.split;

import dev.airlock.core.fuel.ByteWriter;
import java.util.Arrays;

/**
 * How an outlined function hands its results back: the values its region leaves on the stack (a
 * block's results), then every local it writes, the function's return values and the exit code.
 * When there is more than one, the JVM code of a multi-value return boxes them into a fresh array
 * on every call, which costs more than the work of a small region; so all but the last go through
 * {@link Spills} globals instead: the outlined function sets them as its very last instructions and
 * the caller reads them right after the call, with nothing in between (the {@link Scan} places no
 * cut there). Only the last value is returned. Values of types that cannot live in a global, and
 * regions whose only results are block results, keep the multi-value return.
 */
final class Results {
    private final byte[] block;
    private final Spills spills;
    private int[] sources = new int[4];
    private int[] targets = new int[4];
    private byte[] types = new byte[4];
    private int n;
    private int[] globals;

    private Results(byte[] block, Spills spills) {
        this.block = block;
        this.spills = spills;
    }

    /**
     * @param block the types the region leaves on the stack (results of the outlined block)
     */
    static Results plan(byte[] block, Spills spills) {
        return new Results(block, spills);
    }

    /**
     * A result taken from local {@code source} of the outlined function into caller local {@code
     * target}.
     */
    void add(int source, int target, byte type) {
        if (n == sources.length) {
            sources = Arrays.copyOf(sources, 2 * n);
            targets = Arrays.copyOf(targets, 2 * n);
            types = Arrays.copyOf(types, 2 * n);
        }
        sources[n] = source;
        targets[n] = target;
        types[n] = type;
        n++;
    }

    /** Chooses between globals and a multi-value return, after every {@link #add}. */
    void decide() {
        if (n == 0 || block.length + n < 2) {
            return;
        }
        byte[] via = Arrays.copyOf(block, block.length + n - 1);
        System.arraycopy(types, 0, via, block.length, n - 1);
        for (byte t : via) {
            if (!Spills.spillable(t)) {
                return;
            }
        }
        globals = spills.globals(via);
    }

    /** The outlined function's result types. */
    byte[] returned() {
        if (globals != null) {
            return new byte[] {types[n - 1]};
        }
        byte[] out = Arrays.copyOf(block, block.length + n);
        System.arraycopy(types, 0, out, block.length, n);
        return out;
    }

    /** The outlined function's last instructions before its {@code end}. */
    void atEnd(ByteWriter f) {
        if (globals == null) {
            for (int i = 0; i < n; i++) {
                f.u8(0x20).u32(sources[i]);
            }
            return;
        }
        for (int i = block.length - 1; i >= 0; i--) {
            f.u8(0x24).u32(globals[i]);
        }
        for (int i = 0; i < n - 1; i++) {
            f.u8(0x20).u32(sources[i]).u8(0x24).u32(globals[block.length + i]);
        }
        f.u8(0x20).u32(sources[n - 1]);
    }

    /** The caller's instructions right after the call: locals set, block results left pushed. */
    void afterCall(ByteWriter call) {
        if (globals == null) {
            for (int i = n - 1; i >= 0; i--) {
                call.u8(0x21).u32(targets[i]);
            }
            return;
        }
        call.u8(0x21).u32(targets[n - 1]);
        for (int i = 0; i < n - 1; i++) {
            call.u8(0x23).u32(globals[block.length + i]).u8(0x21).u32(targets[i]);
        }
        for (int i = 0; i < block.length; i++) {
            call.u8(0x23).u32(globals[i]);
        }
    }
}
