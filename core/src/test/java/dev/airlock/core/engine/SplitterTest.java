package dev.airlock.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wabt.Wat2Wasm;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.MutabilityType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.airlock.core.fuel.CostTable;
import dev.airlock.core.fuel.Metered;
import dev.airlock.core.fuel.Metering;
import dev.airlock.core.split.Splitter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The function splitter on a function with loops, early returns and branches out of blocks. */
class SplitterTest {
    private static final String STEP =
            "(block $skip (br_if $skip (i32.eqz (i32.and (local.get $i) (i32.const 1))))"
                    + " (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31))"
                    + " (local.get $i)))"
                    + " (if (i32.gt_u (local.get $acc) (i32.const 4000000000)) (then (br $out))))"
                    + " (local.set $acc (i32.xor (local.get $acc) (i32.shr_u (local.get $acc)"
                    + " (i32.const 7))))"
                    + " (if (i32.eq (local.get $acc) (i32.const 12345)) (then (return (i32.const"
                    + " -1))))";

    private static byte[] module() {
        StringBuilder body = new StringBuilder();
        for (int k = 0; k < 40; k++) {
            body.append(STEP);
        }
        String wat =
                "(module (func (export \"f\") (param $n i32) (result i32) (local $i i32) (local"
                        + " $acc i32) (block $out (loop $top (br_if $out (i32.ge_u (local.get $i)"
                        + " (local.get $n)))"
                        + body
                        + " (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $top)))"
                        + " (local.get $acc)))";
        return Wat2Wasm.parse(wat);
    }

    /**
     * Calls the module's export {@code f} with {@code args}, compiled, with the fuel global (when
     * {@code fuelIndex} is not -1) starting at 2^40; returns its result and the fuel left.
     */
    static long[] run(byte[] bytes, int fuelIndex, long... args) {
        WasmModule m = Parser.parse(bytes);
        GlobalInstance fuel = new GlobalInstance(1L << 40, 0, ValType.I64, MutabilityType.Var);
        int[] next = {0};
        Instance i =
                Instance.builder(m)
                        .withMachineFactory(MachineFactoryCompiler.compile(m))
                        .withGlobalFactory(
                                (value, high, type, mut) ->
                                        next[0]++ == fuelIndex
                                                ? fuel
                                                : new GlobalInstance(value, high, type, mut))
                        .build();
        long r = i.export("f").apply(args)[0];
        return new long[] {r, fuel.getValue()};
    }

    /**
     * Calls {@code f(args)} in the module as it is and split, each unmetered and metered: asserts
     * that all four give the same result and both metered runs leave the same fuel; returns the
     * result.
     */
    static long sameResultsAndFuel(
            byte[] plain, byte[] split, Metered metered, byte[] meteredSplit, long... args) {
        String what = Arrays.toString(args);
        long[] a = run(plain, -1, args);
        assertThat(run(split, -1, args)[0]).as("result for %s", what).isEqualTo(a[0]);
        long[] b = run(metered.bytes(), metered.definedIndex(), args);
        long[] c = run(meteredSplit, metered.definedIndex(), args);
        assertThat(c).as("result and fuel left for %s", what).containsExactly(b);
        assertThat(b[0]).as("metered result for %s", what).isEqualTo(a[0]);
        return a[0];
    }

    @Test
    void splitFunctionsComputeTheSameAndUseTheSameFuel() {
        byte[] plain = module();
        byte[] split = Splitter.split(plain, 200);
        assertThat(split).isNotSameAs(plain);
        assertThat(Splitter.definedFunctions(split))
                .isGreaterThan(Splitter.definedFunctions(plain));
        Metered metered = Metering.instrument(plain, CostTable.defaults());
        byte[] meteredSplit = Splitter.split(metered.bytes(), 200);
        assertThat(meteredSplit).isNotSameAs(metered.bytes());
        for (int n : new int[] {0, 1, 7, 100, 5000}) {
            sameResultsAndFuel(plain, split, metered, meteredSplit, n);
        }
    }

    /**
     * Steps that each use their own scratch local, written before it is read and dead after: the
     * pieces cut from the loop take and give back only what is live across them ({@code $acc},
     * {@code $i}, {@code $n}), never the scratch locals.
     */
    private static byte[] scratchModule() {
        StringBuilder locals = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (int k = 0; k < 40; k++) {
            locals.append(" (local $t").append(k).append(" i32)");
            body.append(" (local.set $t")
                    .append(k)
                    .append(" (i32.mul (local.get $acc) (i32.const ")
                    .append(k + 3)
                    .append("))) (local.set $acc (i32.add (local.get $acc) (i32.xor (local.get $t")
                    .append(k)
                    .append(") (local.get $i))))")
                    .append(" (if (i32.eq (local.get $acc) (i32.const 77)) (then (br $out)))");
        }
        String wat =
                "(module (func (export \"f\") (param $n i32) (result i32) (local $i i32) (local"
                        + " $acc i32)"
                        + locals
                        + " (block $out (loop $top (br_if $out (i32.ge_u (local.get $i)"
                        + " (local.get $n)))"
                        + body
                        + " (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $top)))"
                        + " (local.get $acc)))";
        return Wat2Wasm.parse(wat);
    }

    @Test
    void piecesCarryOnlyLiveLocals() {
        byte[] plain = scratchModule();
        byte[] split = Splitter.split(plain, 200);
        assertThat(split).isNotSameAs(plain);
        WasmModule m = Parser.parse(split);
        int pieces = m.functionSection().functionCount() - 1;
        assertThat(pieces).isGreaterThan(1);
        for (int f = 1; f <= pieces; f++) {
            var type = m.typeSection().getType(m.functionSection().getFunctionType(f));
            assertThat(type.params()).as("parameters of piece %d", f).hasSizeLessThanOrEqualTo(3);
            // $acc (and $i when a piece holds the increment) and an exit code at most
            assertThat(type.returns()).as("results of piece %d", f).hasSizeLessThanOrEqualTo(3);
        }
        for (int n : new int[] {0, 1, 9, 300}) {
            assertThat(run(split, -1, n)[0]).as("result for %d", n).isEqualTo(run(plain, -1, n)[0]);
        }
    }

    @Test
    void smallModulesAreLeftAlone() {
        byte[] plain = module();
        assertThat(Splitter.split(plain, 1 << 20)).isSameAs(plain);
    }

    @Test
    void unreadableInputIsReturnedUnchanged() {
        byte[] junk = {0, 'a', 's', 'm', 1, 0, 0, 0, 10, 5, 1, 2, 3};
        assertThat(Splitter.split(junk, 1)).isSameAs(junk);
    }
}
