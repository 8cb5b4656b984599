package dev.airlock.core.split;

import dev.airlock.core.fuel.Decoder;

/** How instructions other than calls change the operand stack, for the {@link Scan}. */
final class StackEffects {
    private StackEffects() {}

    /**
     * Values the instruction pops in the high half, pushes in the low; -1 when not known here.
     *
     * @param kind the instruction's kind ({@link Decoder#next})
     * @param op its opcode ({@link Decoder#op})
     */
    static int of(int kind, int op) {
        if (kind == Decoder.BR_IF) {
            return 1 << 16;
        }
        if (op == 0x01) {
            return 0;
        }
        if (op == 0x1A) {
            return 1 << 16;
        }
        if (op == 0x1B || op == 0x1C) {
            return (3 << 16) | 1;
        }
        if (op == 0x20 || op == 0x23 || op == 0x3F || (op >= 0x41 && op <= 0x44)) {
            return 1;
        }
        if (op == 0xD0 || op == 0xD2) {
            return 1;
        }
        if (op == 0x21 || op == 0x24) {
            return 1 << 16;
        }
        if (op == 0x22 || op == 0x25 || op == 0x40 || op == 0xD1) {
            return (1 << 16) | 1;
        }
        if (op == 0x26) {
            return 2 << 16;
        }
        if (op >= 0x28 && op <= 0x35) {
            return (1 << 16) | 1;
        }
        if (op >= 0x36 && op <= 0x3E) {
            return 2 << 16;
        }
        if (op >= 0x45 && op <= 0xC4) {
            boolean unary =
                    op == 0x45
                            || op == 0x50
                            || (op >= 0x67 && op <= 0x69)
                            || (op >= 0x79 && op <= 0x7B)
                            || (op >= 0x8B && op <= 0x91)
                            || (op >= 0x99 && op <= 0x9F)
                            || op >= 0xA7;
            return unary ? (1 << 16) | 1 : (2 << 16) | 1;
        }
        if ((op >>> 16) == 0xFC) {
            int sub = op & 0xFFFF;
            if (sub <= 7) {
                return (1 << 16) | 1;
            }
            switch (sub) {
                case 8:
                case 10:
                case 11:
                case 12:
                case 14:
                case 17:
                    return 3 << 16;
                case 9:
                case 13:
                    return 0;
                case 15:
                    return (2 << 16) | 1;
                case 16:
                    return 1;
                default:
                    return -1;
            }
        }
        return -1;
    }
}
