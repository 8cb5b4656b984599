package dev.airlock.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.airlock.core.fuel.CostTable;
import dev.airlock.core.fuel.Metered;
import dev.airlock.core.fuel.Metering;
import dev.airlock.core.split.Splitter;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The splitter on an interpreter's dispatch loop: a {@code br_table} switch over 40 cases laid out
 * as a chain of blocks, whose cases fall through, branch forward into other cases (with {@code br},
 * {@code br_if} and {@code br_table}), continue the loop, leave it, or return. Its cases are
 * regrouped and outlined in groups; results and fuel must not change. With 128 cases or more it is
 * an interpreter's ({@code airlock.split.regroup=dispatch} regroups only then).
 */
public class SplitSwitchTest {

    private static String work(int k) {
        StringBuilder w = new StringBuilder();
        for (int s = 0; s < 2 + k % 4; s++) {
            w.append(" (local.set $acc (i32.xor (i32.add (i32.mul (local.get $acc) (i32.const ")
                    .append(31 + 2 * k + s)
                    .append(")) (local.get $i)) (i32.shr_u (local.get $acc) (i32.const ")
                    .append(1 + (k + s) % 13)
                    .append("))))");
        }
        return w.toString();
    }

    /** How case {@code k} ends: each kind of exit a compiled switch has. */
    private static String exit(int k, int cases) {
        int far = Math.min(cases - 1, k + 7 + k % 11);
        return switch (k % 7) {
            case 0 -> " (br $top)";
            case 1 -> ""; // falls into the next case
            case 2 -> " (br $c" + far + ")";
            case 3 -> " (br_if $c" + far + " (i32.and (local.get $acc) (i32.const 1))) (br $top)";
            case 4 ->
                    " (br_table $c"
                            + (k + 1)
                            + " $c"
                            + far
                            + " $top $out $top (i32.rem_u (local.get $acc) (i32.const 64)))";
            case 5 ->
                    " (if (i32.eq (i32.and (local.get $acc) (i32.const 1023)) (i32.const 5))"
                            + " (then (return (i32.const -5)))) (br $top)";
            default ->
                    " (br_if $out (i32.eq (i32.and (local.get $acc) (i32.const 255))"
                            + " (i32.const 9))) (br $top)";
        };
    }

    /** A dispatch loop over {@code n} cases (the operation computed from the state, mod n+5). */
    public static byte[] module(int n) {
        StringBuilder open = new StringBuilder();
        StringBuilder labels = new StringBuilder();
        for (int k = n - 1; k >= 0; k--) {
            open.append(" (block $c").append(k);
        }
        for (int k = 0; k < n; k++) {
            labels.append(" $c").append(k);
        }
        StringBuilder cases = new StringBuilder();
        for (int k = 0; k < n; k++) {
            // case k follows the end of block $ck; the last one is past the chain
            cases.append(")").append(work(k)).append(k < n - 1 ? exit(k, n) : " (br $top)");
        }
        String wat =
                "(module (func (export \"f\") (param $n i32) (param $seed i32)"
                        + " (result i32)"
                        + " (local $i i32) (local $acc i32) (local $op i32)"
                        + " (local.set $acc (local.get $seed))"
                        + " (block $out (loop $top"
                        + " (br_if $out (i32.ge_u (local.get $i) (local.get $n)))"
                        + " (local.set $i (i32.add (local.get $i) (i32.const 1)))"
                        + " (local.set $op (i32.rem_u (i32.add (local.get $acc) (local.get $i))"
                        + " (i32.const "
                        + (n + 5)
                        + ")))"
                        + open
                        + " (br_table"
                        + labels
                        + " $top $c3 $c20 $c"
                        + (n - 1)
                        + " (local.get $op))"
                        + cases
                        + "))"
                        + " (local.get $acc)))";
        return Wat2Wasm.parse(wat);
    }

    /** Instructions of the module's largest function. */
    static int largest(byte[] module) {
        WasmModule m = Parser.parse(module);
        int most = 0;
        for (int f = 0; f < m.codeSection().functionBodyCount(); f++) {
            most = Math.max(most, m.codeSection().getFunctionBody(f).instructions().size());
        }
        return most;
    }

    @Test
    void aSwitchIsOutlinedInGroupsAndComputesTheSame() {
        byte[] plain = module(Splitter.DISPATCH_CASES);
        byte[] outlined = Splitter.split(plain, 600);
        byte[] split = Splitter.split(plain, 600, 600, true);
        // without regrouping, every case keeps a stub in the dispatch function (1670
        // instructions); regrouped, the small cases stay and the others go in groups (1322)
        assertThat(largest(plain)).isGreaterThan(5000);
        assertThat(largest(outlined)).isGreaterThan(1600);
        assertThat(largest(split)).isLessThan(1400);
        assertThat(sameResultsAndFuel(plain, split, 0, 1, 2, 5000)).hasSizeGreaterThan(40);
    }

    @Test
    void aSmallSwitchIsOutlinedInGroupsAndComputesTheSame() {
        // a switch of 40 cases: no dispatch loop
        byte[] plain = module(40);
        byte[] split = Splitter.split(plain, 600, 600, true);
        assertThat(split).isNotEqualTo(Splitter.split(plain, 600));
        assertThat(sameResultsAndFuel(plain, split, 0, 3, 5000)).hasSizeGreaterThan(20);
    }

    /**
     * Runs {@code plain} and {@code split} (regrouped), both metered too, for 16 seeds and each of
     * {@code ns} iterations: the results and the fuel must be the same. The distinct results.
     */
    private static Set<Long> sameResultsAndFuel(byte[] plain, byte[] split, int... ns) {
        Metered metered = Metering.instrument(plain, CostTable.defaults());
        byte[] meteredSplit = Splitter.split(metered.bytes(), 600, 600, true);
        Set<Long> results = new HashSet<>();
        for (int seed = 0; seed < 16; seed++) {
            for (int n : ns) {
                results.add(
                        SplitterTest.sameResultsAndFuel(
                                plain, split, metered, meteredSplit, n, seed));
            }
        }
        return results;
    }

    @Test
    void aModuleWithADispatchLoopIsToldFromOneWithASmallSwitch() {
        // CPython's and QuickJS's dispatch loops have over 250 cases; a parser's switch has dozens
        assertThat(Splitter.hasDispatchLoop(module(Splitter.DISPATCH_CASES), 600)).isTrue();
        assertThat(Splitter.hasDispatchLoop(module(Splitter.DISPATCH_CASES - 1), 600)).isFalse();
        assertThat(Splitter.hasDispatchLoop(module(40), 600)).isFalse();
        // only functions above the threshold are looked at
        assertThat(Splitter.hasDispatchLoop(module(Splitter.DISPATCH_CASES), 1 << 20)).isFalse();
        assertThat(Splitter.hasDispatchLoop(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 10, 9}, 0))
                .isFalse();
        assertThat(Splitter.hasDispatchLoop(new byte[3], 0)).isFalse();
    }
}
