package dev.airlock.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.core.fuel.CostTable;
import dev.airlock.core.fuel.Metered;
import dev.airlock.core.fuel.Metering;
import dev.airlock.core.split.Splitter;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The splitter on code whose operand stack is never empty for long, as LLVM lays out a hash's
 * rounds: a store's address stays on the stack while one long expression tree of i32, i64 and f64
 * terms computes the value. Without expression regions there is nowhere to cut; with them each term
 * is outlined as a piece returning its value. Code without loops gets expression regions by
 * default, other code only with the option. Results and fuel must not change.
 */
class SplitExpressionTest {
    private static final int TERMS = 64;

    private static String term(int k) {
        return switch (k % 3) {
            case 0 ->
                    "(i32.wrap_i64 (i64.rotl (i64.mul (i64.extend_i32_u (local.tee $a (i32.add"
                            + " (local.get $a) (i32.const "
                            + (k * 7 + 1)
                            + ")))) (i64.const "
                            + (0x9E3779B97F4AL + k)
                            + ")) (i64.const "
                            + (k % 63 + 1)
                            + ")))";
            case 1 ->
                    "(i32.trunc_f64_s (f64.mul (f64.convert_i32_s (i32.and (i32.xor (local.get $a)"
                            + " (local.get $i)) (i32.const 1023))) (f64.const "
                            + (1.25 + k / 8.0)
                            + ")))";
            default ->
                    "(i32.rotl (i32.xor (local.get $a) (i32.load (i32.shl (i32.and (i32.add"
                            + " (local.get $i) (i32.const "
                            + k
                            + ")) (i32.const 255)) (i32.const 2)))) (i32.const "
                            + (k % 31 + 1)
                            + "))";
        };
    }

    static byte[] module() {
        return Wat2Wasm.parse(
                "(module (memory 1) (func (export \"f\") (param $n i32) (param $seed i32)"
                        + " (result i32) (local $i i32) (local $a i32)"
                        + " (local.set $a (local.get $seed))"
                        + " (block $out (loop $top"
                        + " (br_if $out (i32.ge_u (local.get $i) (local.get $n)))"
                        + store()
                        + " (local.set $i (i32.add (local.get $i) (i32.const 1)))"
                        + " (br $top)))"
                        + " (i32.add (local.get $a) (i32.load (i32.const 36)))))");
    }

    /**
     * The same tree in code without loops, which the default split outlines too: each piece runs at
     * most once a call.
     */
    static byte[] straightModule() {
        return Wat2Wasm.parse(
                "(module (memory 1) (func (export \"f\") (param $n i32) (param $seed i32)"
                        + " (result i32) (local $i i32) (local $a i32)"
                        + " (local.set $a (local.get $seed))"
                        + " (local.set $i (local.get $n))"
                        + store()
                        + " (i32.add (local.get $a) (i32.load (i32.shl (i32.and (local.get $i)"
                        + " (i32.const 255)) (i32.const 2))))))");
    }

    /** {@code i32.store} of the tree at an address taken from {@code $i}. */
    private static String store() {
        StringBuilder sum = new StringBuilder("(local.get $seed)");
        for (int k = 0; k < TERMS; k++) {
            sum.insert(0, "(i32." + (k % 2 == 0 ? "add " : "xor "))
                    .append(" ")
                    .append(term(k))
                    .append(")");
        }
        return " (i32.store (i32.shl (i32.and (local.get $i) (i32.const 255)) (i32.const 2)) "
                + sum
                + ")";
    }

    @Test
    void anExpressionTreeIsOutlinedInPiecesAndComputesTheSame() {
        byte[] plain = module();
        assertThat(SplitSwitchTest.largest(plain)).isGreaterThan(600);
        // the stack is never empty inside the store: the default split finds nothing to cut
        assertThat(SplitSwitchTest.largest(Splitter.split(plain, 400))).isGreaterThan(600);
        byte[] split = Splitter.split(plain, 400, 400, false, true);
        assertThat(SplitSwitchTest.largest(split)).isLessThan(300);
        assertThat(Splitter.definedFunctions(split)).isGreaterThan(3);
        Metered metered = Metering.instrument(plain, CostTable.defaults());
        byte[] meteredSplit = Splitter.split(metered.bytes(), 400, 400, false, true);
        assertThat(meteredSplit).isNotSameAs(metered.bytes());
        assertThat(results(plain, split, metered, meteredSplit, 0, 1, 2, 300))
                .hasSizeGreaterThan(20);
    }

    @Test
    void codeWithoutLoopsIsOutlinedByTheDefaultSplit() {
        byte[] plain = straightModule();
        assertThat(SplitSwitchTest.largest(plain)).isGreaterThan(600);
        byte[] split = Splitter.split(plain, 400);
        assertThat(SplitSwitchTest.largest(split)).isLessThan(300);
        assertThat(Splitter.definedFunctions(split)).isGreaterThan(3);
        Metered metered = Metering.instrument(plain, CostTable.defaults());
        byte[] meteredSplit = Splitter.split(metered.bytes(), 400);
        assertThat(meteredSplit).isNotSameAs(metered.bytes());
        assertThat(results(plain, split, metered, meteredSplit, 0, 1, 7, 300))
                .hasSizeGreaterThan(20);
    }

    /**
     * The distinct results of the four variants for seeds 0 to 11 and each of {@code ns}, after
     * {@link SplitterTest#sameResultsAndFuel} found them the same in every variant, fuel included.
     */
    private static Set<Long> results(
            byte[] plain, byte[] split, Metered metered, byte[] meteredSplit, int... ns) {
        Set<Long> results = new HashSet<>();
        for (int seed = 0; seed < 12; seed++) {
            for (int n : ns) {
                results.add(
                        SplitterTest.sameResultsAndFuel(
                                plain, split, metered, meteredSplit, n, seed));
            }
        }
        return results;
    }
}
