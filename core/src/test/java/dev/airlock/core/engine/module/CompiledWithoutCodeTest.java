package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wasm.types.FunctionBody;
import dev.airlock.core.Airlock;
import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.core.fuel.CostTable;
import dev.airlock.core.testing.Guests;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A module whose functions are all compiled keeps no parsed function bodies once compiled (nothing
 * reads them; they weigh tens of times the module), plain or metered, split or not, and runs the
 * same; one that runs in the interpreter keeps them.
 */
class CompiledWithoutCodeTest {
    private static final byte[] FIB = DiskCacheReuseTest.FIB;

    private static boolean noBodies(CompiledModule m) {
        FunctionBody[] bodies = m.module().codeSection().functionBodies();
        return bodies.length > 0 && Arrays.stream(bodies).allMatch(b -> b.instructions().isEmpty());
    }

    @Test
    void aCompiledModuleKeepsNoFunctionBodies() throws Exception {
        for (int split : new int[] {0, 24}) {
            ModuleLoader loader = new ModuleLoader(4, null, true, split);
            CompiledModule plain = loader.load(FIB);
            CompiledModule metered = loader.metered(plain, CostTable.defaults());
            assertThat(plain.interpretedFunctions()).isEmpty();
            assertThat(noBodies(plain)).as("plain, split at %d", split).isTrue();
            assertThat(noBodies(metered)).as("metered, split at %d", split).isTrue();
            assertThat(plain.layout())
                    .isEqualTo(
                            new ModuleLoader(4, null, true, split)
                                    .loadDeferred(FIB)
                                    .compiled()
                                    .layout());

            Airlock airlock = Airlock.builder().splitThreshold(split).build();
            assertThat(Guests.run(airlock, FIB, Policy.defaults()).stdout()).isEqualTo("55\n");
            Guests.Run fuelled =
                    Guests.run(
                            airlock,
                            FIB,
                            Policy.builder()
                                    .limits(Limits.builder().fuel(1_000_000).build())
                                    .build());
            assertThat(fuelled.stdout()).isEqualTo("55\n");
            assertThat(fuelled.outcome().usage().fuel()).isPositive();
        }
    }

    @Test
    void aModuleForTheInterpreterKeepsItsBodies() throws Exception {
        CompiledModule m = new ModuleLoader(4, null, false).load(FIB);
        assertThat(m.compiled()).isFalse();
        assertThat(m.module().codeSection().functionBodies())
                .allMatch(b -> !b.instructions().isEmpty());
        assertThat(
                        Guests.run(Airlock.builder().compile(false).build(), FIB, Policy.defaults())
                                .stdout())
                .isEqualTo("55\n");
    }
}
