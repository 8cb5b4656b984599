package dev.airlock.core.split;

/** The value types that plain instructions push, for expression regions. */
final class ValueTypes {
    static final byte I32 = 0x7F;
    static final byte I64 = 0x7E;
    static final byte F32 = 0x7D;
    static final byte F64 = 0x7C;

    private ValueTypes() {}

    /**
     * The type of the one value that the instruction {@code op} pushes (prefixed instructions as
     * {@code prefix << 16 | sub-opcode}), or 0 where it pushes none or its type depends on more
     * than its opcode (locals, globals, calls, {@code select}).
     */
    static byte pushedBy(int op) {
        if ((op >>> 16) == 0xFC) {
            int sub = op & 0xFFFF;
            return sub <= 3 || sub == 15 || sub == 16 ? I32 : sub <= 7 ? I64 : 0;
        }
        if (op >= 0x41 && op <= 0x44) {
            return (byte) (I32 - (op - 0x41)); // i32, i64, f32, f64 consts
        }
        if (op >= 0x28 && op <= 0x2B) {
            return (byte) (I32 - (op - 0x28));
        }
        if ((op >= 0x2C && op <= 0x2F) || op == 0x3F || op == 0x40) {
            return I32;
        }
        if (op >= 0x30 && op <= 0x35) {
            return I64;
        }
        if (op >= 0x45 && op <= 0x78) {
            return I32; // tests, comparisons and i32 arithmetic
        }
        if (op >= 0x79 && op <= 0x8A) {
            return I64;
        }
        if (op >= 0x8B && op <= 0x98) {
            return F32;
        }
        if (op >= 0x99 && op <= 0xA6) {
            return F64;
        }
        if (op >= 0xA7 && op <= 0xAB || op == 0xBC || op == 0xC0 || op == 0xC1) {
            return I32;
        }
        if (op >= 0xAC && op <= 0xB1 || op == 0xBD || op >= 0xC2 && op <= 0xC4) {
            return I64;
        }
        if (op >= 0xB2 && op <= 0xB6 || op == 0xBE) {
            return F32;
        }
        if (op >= 0xB7 && op <= 0xBB || op == 0xBF) {
            return F64;
        }
        return 0;
    }
}
