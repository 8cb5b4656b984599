package dev.airlock.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.core.fuel.ByteWriter;
import dev.airlock.core.fuel.CostTable;
import dev.airlock.core.fuel.Metered;
import dev.airlock.core.fuel.Metering;
import dev.airlock.core.split.Splitter;
import org.junit.jupiter.api.Test;

/**
 * Functions above 64 KB of code (none of the interpreters' or Sightglass's), which the splitter
 * outlines many regions of per step instead of one, and whose splitting work it bounds.
 */
class SplitManyTest {
    /**
     * One step of the loop: branches out of a block and out of the loop. (No return: metering turns
     * one into a branch to a block with a result, which no piece may take.)
     */
    private static final String STEP =
            "(block $skip (br_if $skip (i32.eqz (i32.and (local.get $i) (i32.const 1))))"
                    + " (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31))"
                    + " (local.get $i)))"
                    + " (if (i32.gt_u (local.get $acc) (i32.const 4000000000)) (then (br $out))))"
                    + " (local.set $t (i32.xor (local.get $acc) (i32.shr_u (local.get $acc)"
                    + " (i32.const 7))))"
                    + " (local.set $acc (i32.add (local.get $t) (i32.const %d)))"
                    + " (if (i32.eq (local.get $acc) (i32.const 12345)) (then (br $out)))";

    /**
     * A loop of {@code steps} steps, in blocks of four (regions that overlap the runs around them),
     * over {@code $n} iterations, returning {@code $acc}.
     */
    private static byte[] loop(int steps) {
        StringBuilder body = new StringBuilder();
        for (int k = 0; k < steps; k++) {
            body.append(k % 4 == 0 ? " (block" : "").append(String.format(STEP, k));
            body.append(k % 4 == 3 || k == steps - 1 ? ")" : "");
        }
        return Wat2Wasm.parse(
                "(module (func (export \"f\") (param $n i32) (result i32) (local $i i32) (local"
                        + " $acc i32) (local $t i32) (block $out (loop $top (br_if $out (i32.ge_u"
                        + " (local.get $i) (local.get $n)))"
                        + body
                        + " (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $top)))"
                        + " (local.get $acc)))");
    }

    /**
     * {@code depth} blocks nested in one another, each adding an expression of about 1,470 bytes (a
     * stack that never empties, so no place to cut) to {@code $acc} before the next block: the
     * innermost block is the only region small enough, and after it its parent, one per step.
     * Written as bytes: WAT of this depth takes wat2wasm minutes.
     */
    private static byte[] nest(int depth) {
        ByteWriter code = new ByteWriter(depth * 1500);
        code.u32(1).u32(1).u8(0x7F); // one i32 local, $acc (1); the parameter $n is 0
        for (int d = 0; d < depth; d++) {
            code.u8(0x02).u8(0x40).u8(0x20).u32(1); // block, local.get $acc
            for (int k = 0; k < 490; k++) {
                code.u8(0x41).u8((k + d) % 60); // i32.const
            }
            for (int k = 0; k < 490; k++) {
                code.u8(0x6A); // i32.add
            }
            code.u8(0x20).u32(0).u8(0x6C).u8(0x21).u32(1); // * $n, local.set $acc
        }
        for (int d = 0; d < depth; d++) {
            code.u8(0x0B);
        }
        code.u8(0x20).u32(1).u8(0x0B);
        ByteWriter m = new ByteWriter(code.size() + 64);
        m.bytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, 0, 8);
        section(m, 1, new ByteWriter(8).u32(1).u8(0x60).u32(1).u8(0x7F).u32(1).u8(0x7F));
        section(m, 3, new ByteWriter(4).u32(1).u32(0));
        section(m, 7, new ByteWriter(8).u32(1).u32(1).u8('f').u8(0).u32(0));
        section(m, 10, new ByteWriter(code.size() + 8).u32(1).u32(code.size()).bytes(code));
        return m.toByteArray();
    }

    private static void section(ByteWriter m, int id, ByteWriter payload) {
        m.u8(id).u32(payload.size()).bytes(payload);
    }

    private static int pieces(byte[] split, byte[] plain) {
        return Splitter.definedFunctions(split) - Splitter.definedFunctions(plain);
    }

    @Test
    void aHugeBodyIsSplitWholeAndComputesTheSameWithTheSameFuel() {
        byte[] plain = loop(1200);
        assertThat(plain.length).as("one function over 64 KB").isGreaterThan(70_000);
        byte[] split = Splitter.split(plain, Splitter.DEFAULT_THRESHOLD);
        // every piece at most 1,500 bytes: at least one per 1,500 bytes of the body
        assertThat(pieces(split, plain)).isGreaterThan(plain.length / 1500);
        Metered metered = Metering.instrument(plain, CostTable.defaults());
        byte[] meteredSplit = Splitter.split(metered.bytes(), Splitter.DEFAULT_THRESHOLD);
        assertThat(pieces(meteredSplit, metered.bytes())).isGreaterThan(plain.length / 1500);
        for (int n : new int[] {0, 1, 2, 7, 40}) {
            SplitterTest.sameResultsAndFuel(plain, split, metered, meteredSplit, n);
        }
    }

    @Test
    void aNestThatYieldsOneRegionPerStepStopsWithinItsWork() {
        byte[] plain = nest(200);
        assertThat(plain.length).isGreaterThan(250_000);
        byte[] split = Splitter.split(plain, Splitter.DEFAULT_THRESHOLD);
        // one piece per step, and the scanning bounded at 16 times the body (about 16 steps):
        // without the bound each of the 60 blocks would become a piece
        assertThat(pieces(split, plain)).isBetween(1, 20);
        for (int n : new int[] {0, 1, 3}) {
            assertThat(SplitterTest.run(split, -1, n)[0])
                    .as("result for %d", n)
                    .isEqualTo(SplitterTest.run(plain, -1, n)[0]);
        }
    }
}
