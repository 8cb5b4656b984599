package dev.airlock.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.core.fuel.CostTable;
import dev.airlock.core.fuel.Metered;
import dev.airlock.core.fuel.Metering;
import dev.airlock.core.split.Splitter;
import org.junit.jupiter.api.Test;

/**
 * Splitting by weight: a function under the byte threshold whose loads and stores make it heavy is
 * split when each access weighs more than its bytes, and left whole when it does not; the pieces
 * compute the same and use the same fuel.
 */
class SplitWeightTest {
    private static final int STEPS = 30;

    /**
     * A loop over sixteen words of memory, as a cipher's rounds: each step loads two words, mixes
     * them with the counter and stores one back (three accesses in about twenty bytes of code).
     */
    private static byte[] module() {
        StringBuilder body = new StringBuilder();
        for (int k = 0; k < STEPS; k++) {
            int a = 4 * (k % 16);
            int b = 4 * ((k + 5) % 16);
            body.append(" (i32.store offset=")
                    .append(a)
                    .append(" (i32.const 0) (i32.rotl (i32.add (i32.load offset=")
                    .append(a)
                    .append(" (i32.const 0)) (i32.xor (i32.load offset=")
                    .append(b)
                    .append(" (i32.const 0)) (i32.add (local.get $i) (i32.const ")
                    .append(k * 7919)
                    .append("))))")
                    .append(" (i32.const ")
                    .append(1 + k % 31)
                    .append(")))");
        }
        StringBuilder sum = new StringBuilder("(i32.const 0)");
        for (int w = 0; w < 16; w++) {
            sum =
                    new StringBuilder(
                            "(i32.add " + sum + " (i32.load offset=" + 4 * w + " (i32.const 0)))");
        }
        String wat =
                "(module (memory 1) (func (export \"f\") (param $n i32) (result i32) (local $i"
                        + " i32) (block $out (loop $top (br_if $out (i32.ge_u (local.get $i)"
                        + " (local.get $n)))"
                        + body
                        + " (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $top)))"
                        + sum
                        + "))";
        return Wat2Wasm.parse(wat);
    }

    private static byte[] split(byte[] module, int accessWeight) {
        return Splitter.split(module, 1500, 1500, false, false, accessWeight);
    }

    @Test
    void aFunctionHeavyInAccessesIsSplitOnlyWhenAccessesWeighMore() {
        byte[] plain = module();
        assertThat(plain.length).as("the function is under the byte threshold").isLessThan(1500);
        assertThat(split(plain, 0)).isSameAs(plain);
        assertThat(Splitter.split(plain, 1500)).isSameAs(plain);

        byte[] weighed = split(plain, Splitter.DEFAULT_ACCESS_WEIGHT);
        assertThat(Splitter.definedFunctions(weighed))
                .isGreaterThan(Splitter.definedFunctions(plain));
    }

    @Test
    void piecesOfAHeavyFunctionComputeTheSameAndUseTheSameFuel() {
        byte[] plain = module();
        byte[] weighed = split(plain, Splitter.DEFAULT_ACCESS_WEIGHT);
        Metered metered = Metering.instrument(plain, CostTable.defaults());
        byte[] meteredSplit = split(metered.bytes(), Splitter.DEFAULT_ACCESS_WEIGHT);
        assertThat(Splitter.definedFunctions(meteredSplit))
                .isGreaterThan(Splitter.definedFunctions(metered.bytes()));
        for (int n : new int[] {0, 1, 3, 100, 2000}) {
            SplitterTest.sameResultsAndFuel(plain, weighed, metered, meteredSplit, n);
        }
    }

    @Test
    void aNegativeAccessWeightIsRejected() {
        assertThatThrownBy(() -> split(module(), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("accessWeight");
    }
}
