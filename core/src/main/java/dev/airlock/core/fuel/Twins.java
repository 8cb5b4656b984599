package dev.airlock.core.fuel;

import java.util.HashMap;
import java.util.Map;

/**
 * The types, function entries and wrappers that give every defined function a metered twin: the
 * twin of a function of type {@code [p*] -> [r*]} has type {@code [p* i64] -> [r*]}, or {@code [p*
 * i64] -> [i64]} when {@code r*} is empty or a single i32 or f32 (which the twin returns packed
 * with the fuel it used, see {@link FunctionMeter#meter}); the function itself becomes {@code
 * local.get 0..; global.get $fuel; call $twin}, then {@code global.set $fuel} when the twin returns
 * the fuel, or the unpacking of the result when it returns it packed.
 */
final class Twins {
    private final ModuleSections.FuncType[] types;
    private final int[] funcTypes;
    private final ByteWriter newTypes = new ByteWriter(64);
    private final Map<Integer, Integer> twinType = new HashMap<>();
    private final Map<Integer, byte[]> blockTypes = new HashMap<>();
    private final Map<Integer, Integer> kinds = new HashMap<>();
    private int added;

    private Twins(ModuleSections.FuncType[] types, int[] funcTypes) {
        this.types = types;
        this.funcTypes = funcTypes;
    }

    static Twins of(byte[] m, ModuleSections.FuncType[] types, int[] funcTypes) {
        Twins t = new Twins(types, funcTypes);
        for (int type : funcTypes) {
            t.add(m, type);
        }
        return t;
    }

    private void add(byte[] m, int type) {
        if (twinType.containsKey(type)) {
            return;
        }
        ModuleSections.FuncType t = types[type];
        int kind = FunctionMeter.VALUE;
        if (t.results() == 0) {
            kind = FunctionMeter.VOID;
        } else if (t.results() == 1 && m[t.resultsAt()] == 0x7F) {
            kind = FunctionMeter.PACKED_I32;
        } else if (t.results() == 1 && m[t.resultsAt()] == 0x7D) {
            kind = FunctionMeter.PACKED_F32;
        }
        kinds.put(type, kind);
        newTypes.u8(0x60).u32(t.params() + 1L);
        newTypes.bytes(m, t.paramsAt(), t.paramsAt() + t.params()).u8(0x7E);
        if (kind != FunctionMeter.VALUE) {
            newTypes.u32(1).u8(0x7E);
        } else {
            newTypes.u32(t.results()).bytes(m, t.resultsAt(), t.resultsAt() + t.results());
        }
        twinType.put(type, types.length + added++);
        if (t.results() == 0) {
            blockTypes.put(type, new byte[] {0x40});
        } else if (t.results() == 1) {
            blockTypes.put(type, new byte[] {m[t.resultsAt()]});
        } else {
            // a block of several results needs a type [] -> [r*]
            newTypes.u8(0x60).u32(0).u32(t.results());
            newTypes.bytes(m, t.resultsAt(), t.resultsAt() + t.results());
            blockTypes.put(type, new ByteWriter(8).s64(types.length + added++).toByteArray());
        }
    }

    /** What the twins of functions of type {@code type} return: {@link FunctionMeter#VOID}, ... */
    int kind(int type) {
        return kinds.get(type);
    }

    /** The encoded block type of type {@code type}'s results. */
    byte[] blockType(int type) {
        return blockTypes.get(type);
    }

    ByteWriter typeSection(byte[] m, int start, int end) {
        ByteReader r = new ByteReader(m, start, end);
        int count = r.count();
        ByteWriter w = new ByteWriter(end - start + newTypes.size() + 8);
        w.u32((long) count + added);
        w.bytes(m, r.pos(), end);
        w.bytes(newTypes);
        return w;
    }

    ByteWriter functionSection(byte[] m, int start, int end) {
        ByteReader r = new ByteReader(m, start, end);
        int count = r.count();
        ByteWriter w = new ByteWriter(end - start + count * 5 + 8);
        w.u32(2L * count);
        w.bytes(m, r.pos(), end);
        for (int type : funcTypes) {
            w.u32(twinType.get(type));
        }
        return w;
    }

    /**
     * An upper bound of the size of all wrappers: each passes its parameters on, so many functions
     * of a type with many parameters make wrappers much bigger than the module.
     */
    long wrapperBytes() {
        long total = 0;
        for (int type : funcTypes) {
            total += types[type].params() * 6L + 24;
        }
        return total;
    }

    /** Appends the body of wrapper {@code i}, which calls function {@code twin}. */
    void wrapper(int i, int twin, int fuelGlobal, ByteWriter out) {
        ModuleSections.FuncType t = types[funcTypes[i]];
        int kind = kind(funcTypes[i]);
        boolean packed = kind == FunctionMeter.PACKED_I32 || kind == FunctionMeter.PACKED_F32;
        ByteWriter b = new ByteWriter(48 + t.params() * 3);
        if (packed) {
            b.u32(1).u32(3).u8(0x7E); // the fuel before, the packed result, the fuel used
        } else {
            b.u32(0);
        }
        for (int p = 0; p < t.params(); p++) {
            b.u8(0x20).u32(p);
        }
        b.u8(0x23).u32(fuelGlobal);
        if (packed) {
            long before = t.params();
            long result = before + 1;
            long used = before + 2;
            b.u8(0x22).u32(before).u8(0x10).u32(twin);
            b.u8(0x22).u32(result).u8(0x42).s64(32).u8(0x88).u8(0x22).u32(used);
            b.u8(0x42).s64(0xFFFF_FFFFL).u8(0x52); // i64.ne: else the twin set the global
            b.u8(0x04).u8(0x40).u8(0x20).u32(before).u8(0x20).u32(used).u8(0x7D);
            b.u8(0x24).u32(fuelGlobal).u8(0x0B);
            b.u8(0x20).u32(result).u8(0xA7);
            if (kind == FunctionMeter.PACKED_F32) {
                b.u8(0xBE);
            }
        } else {
            b.u8(0x10).u32(twin);
            if (kind == FunctionMeter.VOID) {
                b.u8(0x24).u32(fuelGlobal);
            }
        }
        b.u8(0x0B);
        out.u32(b.size()).bytes(b);
    }
}
