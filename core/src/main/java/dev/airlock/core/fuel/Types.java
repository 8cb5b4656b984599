package dev.airlock.core.fuel;

/** Value, reference and heap types as the pass reads them. */
final class Types {
    private Types() {}

    static boolean isValType(int b) {
        switch (b) {
            case 0x7F: // i32
            case 0x7E: // i64
            case 0x7D: // f32
            case 0x7C: // f64
            case 0x7B: // v128
            case 0x70: // funcref
            case 0x6F: // externref
            case 0x63: // (ref null ht)
            case 0x64: // (ref ht)
                return true;
            default:
                return false;
        }
    }

    /** Reads a value type; typed references are refused. */
    static void valType(ByteReader r) {
        int b = r.u8();
        if (b == 0x63 || b == 0x64) {
            throw new MeteringException("typed references are not metered");
        }
        if (!isValType(b)) {
            throw new MeteringException(String.format("malformed value type 0x%02x", b));
        }
    }

    /** Reads a reference type: funcref or externref. */
    static void refType(ByteReader r) {
        int b = r.u8();
        if (b == 0x63 || b == 0x64) {
            throw new MeteringException("typed references are not metered");
        }
        if (b != 0x70 && b != 0x6F) {
            throw new MeteringException(String.format("malformed reference type 0x%02x", b));
        }
    }

    /** Reads the heap type of {@code ref.null}. */
    static void heapType(ByteReader r) {
        long v = r.signed(33);
        // 0x70 and 0x6F read as -16 and -17; a type index is non-negative
        if (v != -16 && v != -17) {
            throw new MeteringException("typed references are not metered (ref.null " + v + ")");
        }
    }

    /** Reads limits; 64-bit and shared limits are refused. */
    static void limits(ByteReader r, String what) {
        int flags = r.u8();
        if ((flags & 0x04) != 0) {
            throw new MeteringException("64-bit " + what + "s are not metered");
        }
        if ((flags & 0x02) != 0) {
            throw new MeteringException("shared " + what + "s are not metered");
        }
        if (flags > 1) {
            throw new MeteringException("malformed " + what + " limits");
        }
        r.u32();
        if (flags == 1) {
            r.u32();
        }
    }
}
