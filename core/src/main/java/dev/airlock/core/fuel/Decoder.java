package dev.airlock.core.fuel;

import java.util.Arrays;

/**
 * Decodes one instruction of a function body at a time: its kind, the label operands of branches,
 * the indices the pass needs, and every other immediate skipped, for all of WebAssembly 2.0
 * (including the {@code 0xFC} and SIMD {@code 0xFD} prefixes). Instructions of proposals the pass
 * does not meter (tail calls, exception handling, typed function references, garbage collection,
 * threads) are refused with a {@link MeteringException}.
 */
public final class Decoder {
    /** Instruction kind. */
    public static final int PLAIN = 0;

    /** Instruction kind. */
    public static final int BLOCK = 1;

    /** Instruction kind. */
    public static final int LOOP = 2;

    /** Instruction kind. */
    public static final int IF = 3;

    /** Instruction kind. */
    public static final int ELSE = 4;

    /** Instruction kind. */
    public static final int END = 5;

    /** Instruction kind. */
    public static final int BR = 6;

    /** Instruction kind. */
    public static final int BR_IF = 7;

    /** Instruction kind. */
    public static final int BR_TABLE = 8;

    /** Instruction kind. */
    public static final int RETURN = 9;

    /** Instruction kind. */
    public static final int UNREACHABLE = 10;

    /** Instruction kind. */
    public static final int CALL = 11;

    /** Instruction kind. */
    public static final int CALL_INDIRECT = 12;

    /** Instruction kind. */
    public static final int MEMORY_GROW = 15;

    /** Instruction kind. */
    public static final int BULK_MEMORY = 16;

    /** Instruction kind. */
    public static final int BULK_TABLE = 17;

    /** Instruction kind. */
    public static final int TABLE_GROW = 18;

    /** Instruction kind. */
    public static final int LOCAL = 19;

    /** Instruction kind. */
    public static final int GLOBAL = 20;

    /** Instruction kind. */
    public static final int REF_FUNC = 21;

    /** The opcode: one byte, or the prefix shifted left by 16 plus the sub-opcode. */
    public int op;

    /**
     * The label of {@code br} and {@code br_if}; the index of {@code call} and of local and global
     * instructions.
     */
    public int label;

    /** The labels of {@code br_table}, default last; {@link #labelCount} are valid. */
    public int[] labels = new int[8];

    /** How many of {@link #labels} are valid. */
    public int labelCount;

    /** Decodes the instruction at the reader's position and returns its kind. */
    public int next(ByteReader r) {
        int b = r.u8();
        op = b;
        switch (b) {
            case 0x00:
                return UNREACHABLE;
            case 0x01:
            case 0x1A:
            case 0x1B:
                return PLAIN;
            case 0x02:
                blockType(r);
                return BLOCK;
            case 0x03:
                blockType(r);
                return LOOP;
            case 0x04:
                blockType(r);
                return IF;
            case 0x05:
                return ELSE;
            case 0x0B:
                return END;
            case 0x0C:
                label = r.count();
                return BR;
            case 0x0D:
                label = r.count();
                return BR_IF;
            case 0x0E:
                brTable(r);
                return BR_TABLE;
            case 0x0F:
                return RETURN;
            case 0x10:
                label = r.count();
                return CALL;
            case 0x11:
                r.u32();
                r.u32();
                return CALL_INDIRECT;
            case 0x1C:
                int n = r.count();
                for (int i = 0; i < n; i++) {
                    Types.valType(r);
                }
                return PLAIN;
            case 0x20:
            case 0x21:
            case 0x22:
                label = r.count();
                return LOCAL;
            case 0x23:
            case 0x24:
                label = r.count();
                return GLOBAL;
            case 0x25:
            case 0x26:
            case 0x3F:
                r.u32();
                return PLAIN;
            case 0xD2:
                label = r.count();
                return REF_FUNC;
            case 0x40:
                r.u32();
                return MEMORY_GROW;
            case 0x41:
                r.signed(32);
                return PLAIN;
            case 0x42:
                r.signed(64);
                return PLAIN;
            case 0x43:
                r.skip(4);
                return PLAIN;
            case 0x44:
                r.skip(8);
                return PLAIN;
            case 0xD0:
                Types.heapType(r);
                return PLAIN;
            case 0xD1:
                return PLAIN;
            case 0xFC:
                return prefixFC(r);
            case 0xFD:
                return prefixFD(r);
            default:
                if (b >= 0x28 && b <= 0x3E) {
                    memarg(r);
                    return PLAIN;
                }
                if (b >= 0x45 && b <= 0xC4) {
                    return PLAIN;
                }
                throw new MeteringException(unsupported(b));
        }
    }

    private static String unsupported(int b) {
        String what;
        switch (b) {
            case 0x06:
            case 0x07:
            case 0x08:
            case 0x09:
            case 0x0A:
            case 0x18:
            case 0x19:
            case 0x1F:
                what = " (exception handling is not metered)";
                break;
            case 0x12:
            case 0x13:
                what = " (tail calls are not metered)";
                break;
            case 0x14:
            case 0x15:
            case 0xD3:
            case 0xD4:
            case 0xD5:
            case 0xD6:
                what = " (typed function references are not metered)";
                break;
            case 0xFB:
                what = " (garbage collection is not metered)";
                break;
            case 0xFE:
                what = " (threads are not metered)";
                break;
            default:
                what = " (unknown opcode)";
                break;
        }
        return String.format("unsupported instruction 0x%02x%s", b, what);
    }

    private int prefixFC(ByteReader r) {
        long sub = r.u32();
        op = 0xFC0000 | (int) Math.min(sub, 0xFFFF);
        if (sub <= 7) {
            return PLAIN; // saturating truncations
        }
        switch ((int) sub) {
            case 8: // memory.init data mem
                r.u32();
                r.u32();
                return BULK_MEMORY;
            case 9: // data.drop
            case 13: // elem.drop
            case 16: // table.size
                r.u32();
                return PLAIN;
            case 10: // memory.copy mem mem
                r.u32();
                r.u32();
                return BULK_MEMORY;
            case 11: // memory.fill mem
                r.u32();
                return BULK_MEMORY;
            case 12: // table.init elem table
            case 14: // table.copy table table
                r.u32();
                r.u32();
                return BULK_TABLE;
            case 15: // table.grow
                r.u32();
                return TABLE_GROW;
            case 17: // table.fill
                r.u32();
                return BULK_TABLE;
            default:
                throw new MeteringException("unsupported instruction 0xfc " + sub);
        }
    }

    private int prefixFD(ByteReader r) {
        long sub = r.u32();
        if (sub > 0xFF) {
            throw new MeteringException("unsupported SIMD instruction 0xfd " + sub);
        }
        int s = (int) sub;
        op = 0xFD0000 | s;
        if (s <= 0x0B || s == 0x5C || s == 0x5D) {
            memarg(r); // loads, v128.store, load*_zero
        } else if (s == 0x0C || s == 0x0D) {
            r.skip(16); // v128.const, i8x16.shuffle
        } else if (s >= 0x15 && s <= 0x22) {
            r.u8(); // extract_lane, replace_lane
        } else if (s >= 0x54 && s <= 0x5B) {
            memarg(r); // load_lane, store_lane
            r.u32();
        }
        return PLAIN;
    }

    private static void memarg(ByteReader r) {
        long flags = r.u32();
        if ((flags >>> 6) != 0) {
            r.u32(); // memory index (multi-memory encoding)
        }
        r.u32();
    }

    private static void blockType(ByteReader r) {
        int b = r.peek();
        if (b == 0x40) {
            r.u8();
        } else if (Types.isValType(b)) {
            Types.valType(r);
        } else {
            long idx = r.signed(33);
            if (idx < 0) {
                throw new MeteringException("malformed block type " + idx);
            }
        }
    }

    private void brTable(ByteReader r) {
        int n = r.count();
        labelCount = 0;
        for (int i = 0; i <= n; i++) {
            int l = r.count();
            if (labelCount == labels.length) {
                labels = Arrays.copyOf(labels, labels.length * 2);
            }
            labels[labelCount++] = l;
        }
    }
}
