package dev.airlock.core.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.fuel.ByteWriter;
import org.junit.jupiter.api.Test;

/**
 * The splitter scans at most a budget of code per module (by default {@value
 * Outliner#WORK_PER_BYTE} times the module's size plus 16 MB, which no real module comes near);
 * what it has not split within the budget stays whole.
 */
class SplitBudgetTest {
    private static final int RUN = 1700; // i32.const 1; drop: 3 bytes each

    /** Three functions () -> () of {@link #RUN} {@code i32.const 1; drop} each (5.1 KB). */
    private static byte[] module() {
        ByteWriter body = new ByteWriter(3 * RUN + 2).u32(0);
        for (int i = 0; i < RUN; i++) {
            body.u8(0x41).u8(1).u8(0x1A);
        }
        body.u8(0x0B);
        ByteWriter code = new ByteWriter(3 * body.size() + 16).u32(3);
        for (int f = 0; f < 3; f++) {
            code.u32(body.size()).bytes(body);
        }
        ByteWriter m = new ByteWriter(code.size() + 32);
        m.bytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, 0, 8);
        section(m, 1, new ByteWriter(4).u32(1).u8(0x60).u32(0).u32(0));
        section(m, 3, new ByteWriter(4).u32(3).u32(0).u32(0).u32(0));
        section(m, 10, code);
        return m.toByteArray();
    }

    private static void section(ByteWriter m, int id, ByteWriter payload) {
        m.u8(id).u32(payload.size()).bytes(payload);
    }

    private static byte[] split(byte[] module, long budget) {
        return Splitter.split(module, new Splitter.Options(1500, 1500, false, false, budget, null));
    }

    @Test
    void whatTheBudgetDoesNotCoverStaysWhole() {
        byte[] plain = module();
        int code = 3 * RUN + 1; // the first function's code, as its first step scans it
        // by default all three are split, each into several pieces
        assertThat(Splitter.definedFunctions(Splitter.split(plain, 1500))).isGreaterThan(3 + 6);
        // a budget of the first step alone: one piece, cut from the first function
        byte[] one = split(plain, code);
        assertThat(Splitter.definedFunctions(one)).isEqualTo(4);
        // less than that: nothing
        assertThat(split(plain, code - 1)).isSameAs(plain);
        assertThat(split(plain, 0)).isSameAs(plain);
    }
}
