package dev.airlock.core.fuel;

import java.util.Arrays;

/**
 * The fuel code that pass one of {@link FunctionMeter} records for one body, in body order, and
 * pass two, which writes the twin's code with it in place. Each entry covers {@code [at, end)} of
 * the body: code inserted before {@code at} when the range is empty, code in place of the
 * instruction there when it is not.
 */
final class FuelCode {
    // inserted code
    /** A segment's charge, which only subtracts (value: its cost). */
    static final int STATIC = 0;

    /** A segment's charge that traps when the fuel runs out (value: its cost). */
    static final int STATIC_CHECKED = 1;

    /** Before a bulk memory instruction: its size times the value per KiB, checked. */
    static final int BULK_MEMORY = 2;

    /** Before a bulk table instruction: its size times the value per element, checked. */
    static final int BULK_TABLE = 3;

    /** Before {@code memory.grow} or {@code table.grow}: keeps the requested size. */
    static final int GROW_BEFORE = 4;

    /** After {@code memory.grow}: charges the pages granted, checked. */
    static final int GROW_MEMORY_AFTER = 5;

    /** After {@code table.grow}: charges the elements granted, checked. */
    static final int GROW_TABLE_AFTER = 6;

    /** The fuel into the fuel global (before an import, a table call or a trap). */
    static final int STORE = 7;

    /** The fuel back from the fuel global. */
    static final int LOAD = 8;

    /** Before {@code return}: the fuel as the twin returns it. */
    static final int RETURN = 9;

    // replacements of an instruction
    /** A local's access, renumbered past the fuel parameter (value: the new index). */
    static final int LOCAL = 10;

    /** A call of a twin that returns the fuel (value: the twin). */
    static final int CALL_VOID = 11;

    /** A call of a twin that leaves the fuel in the global (value: the twin). */
    static final int CALL_VALUE = 12;

    /** A call of a twin that packs its result (value: the twin, its kind in the high half). */
    static final int CALL_PACKED = 13;

    /** {@code return} as a branch to the block that packs the result (value: its depth). */
    static final int RETURN_BR = 14;

    /** The fuel-used half of a packed result that says "too much: read the global". */
    static final long SPILLED = 0xFFFF_FFFFL;

    private int[] at = new int[256];
    private int[] end = new int[256];
    private int[] type = new int[256];
    private long[] value = new long[256];
    private int count;

    /** Forgets the entries of the last body. */
    void clear() {
        count = 0;
    }

    /** The number of entries. */
    int count() {
        return count;
    }

    /** Records code of {@code type} for {@code [at, end)}; returns its entry. */
    int add(int at, int end, int type, long value) {
        if (count == this.at.length) {
            int n = count * 2;
            this.at = Arrays.copyOf(this.at, n);
            this.end = Arrays.copyOf(this.end, n);
            this.type = Arrays.copyOf(this.type, n);
            this.value = Arrays.copyOf(this.value, n);
        }
        this.at[count] = at;
        this.end[count] = end;
        this.type[count] = type;
        this.value[count] = value;
        return count++;
    }

    /** Adds {@code price} to the charge of entry {@code i}. */
    void charge(int i, long price) {
        value[i] += price;
    }

    /** Makes the charge of entry {@code i} one that does not check. */
    void uncheck(int i) {
        type[i] = STATIC;
    }

    /** The segment charges that cost something, which pass two writes. */
    int charges() {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (isStatic(type[i]) && value[i] > 0) {
                n++;
            }
        }
        return n;
    }

    private static boolean isStatic(int type) {
        return type == STATIC || type == STATIC_CHECKED;
    }

    /**
     * The twin's end, after block {@code $exit} left the function's results on the stack: the fuel
     * passed back as a twin of {@code kind} returns it (see {@link FunctionMeter#meter}).
     */
    void writeExit(ByteWriter body, int kind, long fuel, long entry, int fuelGlobal) {
        if (kind == FunctionMeter.PACKED_I32 || kind == FunctionMeter.PACKED_F32) {
            long used = entry + 2;
            if (kind == FunctionMeter.PACKED_F32) {
                body.u8(0xBC); // i32.reinterpret_f32
            }
            body.u8(0xAD); // i64.extend_i32_u
            body.u8(0x20).u32(entry).u8(0x20).u32(fuel).u8(0x7D).u8(0x22).u32(used);
            body.u8(0x42).s64(SPILLED).u8(0x54); // i64.lt_u
            body.u8(0x04).u8(0x7E).u8(0x20).u32(used);
            body.u8(0x05).u8(0x20).u32(fuel).u8(0x24).u32(fuelGlobal).u8(0x42).s64(SPILLED);
            body.u8(0x0B);
            body.u8(0x42).s64(32).u8(0x86).u8(0x84); // i64.shl, i64.or
        } else {
            body.u8(0x20).u32(fuel);
            if (kind == FunctionMeter.VALUE) {
                body.u8(0x24).u32(fuelGlobal);
            }
        }
    }

    /**
     * Pass two: copies {@code module[from..to)} (a body's code) to {@code body} with the recorded
     * code in place. {@code fuel} is the twin's fuel local, {@code scratch} its two i32 scratch
     * locals, {@code entry} its three i64 ones; {@code kind} what the twin returns ({@link
     * FunctionMeter#VOID}, ...).
     */
    void write(
            byte[] module,
            int from,
            int to,
            ByteWriter body,
            long fuel,
            long scratch,
            long entry,
            int fuelGlobal,
            int kind) {
        long n32 = scratch;
        long r32 = scratch + 1;
        long packed = entry + 1;
        long used = entry + 2;
        int copied = from;
        for (int i = 0; i < count; i++) {
            long v = value[i];
            if (isStatic(type[i]) && v == 0) {
                continue;
            }
            body.bytes(module, copied, at[i]);
            copied = end[i];
            switch (type[i]) {
                case STATIC_CHECKED:
                    body.u8(0x20).u32(fuel).u8(0x42).s64(v).u8(0x7D);
                    checkedSet(body, fuel, fuelGlobal);
                    break;
                case STATIC:
                    body.u8(0x20).u32(fuel).u8(0x42).s64(v).u8(0x7D).u8(0x21).u32(fuel);
                    break;
                case STORE:
                    body.u8(0x20).u32(fuel).u8(0x24).u32(fuelGlobal);
                    break;
                case LOAD:
                    body.u8(0x23).u32(fuelGlobal).u8(0x21).u32(fuel);
                    break;
                case RETURN:
                    body.u8(0x20).u32(fuel);
                    if (kind == FunctionMeter.VALUE) {
                        body.u8(0x24).u32(fuelGlobal);
                    }
                    break;
                case RETURN_BR:
                    body.u8(0x0C).u32(v);
                    break;
                case CALL_PACKED:
                    body.u8(0x20).u32(fuel).u8(0x10).u32(v & 0xFFFF_FFFFL);
                    body.u8(0x22).u32(packed).u8(0x42).s64(32).u8(0x88).u8(0x22).u32(used);
                    body.u8(0x42).s64(SPILLED).u8(0x51); // i64.eq
                    body.u8(0x04).u8(0x7E).u8(0x23).u32(fuelGlobal);
                    body.u8(0x05).u8(0x20).u32(fuel).u8(0x20).u32(used).u8(0x7D).u8(0x0B);
                    body.u8(0x21).u32(fuel).u8(0x20).u32(packed).u8(0xA7); // i32.wrap_i64
                    if ((v >>> 32) == FunctionMeter.PACKED_F32) {
                        body.u8(0xBE); // f32.reinterpret_i32
                    }
                    break;
                case LOCAL:
                    body.u8(module[at[i]] & 0xff).u32(v);
                    break;
                case CALL_VOID:
                    body.u8(0x20).u32(fuel).u8(0x10).u32(v).u8(0x21).u32(fuel);
                    break;
                case CALL_VALUE:
                    body.u8(0x20).u32(fuel).u8(0x10).u32(v);
                    body.u8(0x23).u32(fuelGlobal).u8(0x21).u32(fuel);
                    break;
                case BULK_MEMORY:
                    body.u8(0x22).u32(n32);
                    body.u8(0x20).u32(fuel).u8(0x20).u32(n32).u8(0xAD);
                    body.u8(0x42).s64(v).u8(0x7E).u8(0x42).s64(10).u8(0x88).u8(0x7D);
                    checkedSet(body, fuel, fuelGlobal);
                    break;
                case BULK_TABLE:
                    body.u8(0x22).u32(n32);
                    body.u8(0x20).u32(fuel).u8(0x20).u32(n32).u8(0xAD);
                    body.u8(0x42).s64(v).u8(0x7E).u8(0x7D);
                    checkedSet(body, fuel, fuelGlobal);
                    break;
                case GROW_BEFORE:
                    body.u8(0x22).u32(n32);
                    break;
                default: // GROW_*_AFTER: charge the granted size if the grow succeeded
                    body.u8(0x22).u32(r32).u8(0x41).s64(-1).u8(0x47).u8(0x04).u8(0x40);
                    body.u8(0x20).u32(fuel).u8(0x20).u32(n32).u8(0xAD);
                    body.u8(0x42).s64(v).u8(0x7E).u8(0x7D);
                    checkedSet(body, fuel, fuelGlobal);
                    body.u8(0x0B).u8(0x20).u32(r32);
                    break;
            }
        }
        body.bytes(module, copied, to);
    }

    /**
     * fuel = top; if it is negative, store it in the global and trap: the runner tells this trap
     * from the guest's own {@code unreachable} by the global's sign.
     */
    private static void checkedSet(ByteWriter body, long fuel, int fuelGlobal) {
        body.u8(0x22).u32(fuel).u8(0x42).u8(0x00).u8(0x53).u8(0x04).u8(0x40);
        body.u8(0x20).u32(fuel).u8(0x24).u32(fuelGlobal).u8(0x00).u8(0x0B);
    }
}
