package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.fuel.CostTable;
import dev.airlock.core.testing.Guests;
import org.junit.jupiter.api.Test;

/**
 * Large modules are compiled once per JVM, whichever loader asks (an interpreter loaded by several
 * Airlocks); small ones and loaders with other settings keep their own.
 */
class SharedModulesTest {
    /** A valid module of about {@code kib} KiB (a passive data segment of that size). */
    private static byte[] module(int kib, int marker) {
        return Guests.wat(
                "(module (func (export \"f\") (result i32) i32.const "
                        + marker
                        + ") (data \""
                        + "\\00".repeat(kib * 1024)
                        + "\"))");
    }

    @Test
    void aLargeModuleIsCompiledOnceForEveryLoaderWithTheSameSettings() throws Exception {
        byte[] big = module(1100, 1);
        assertThat(big.length).isGreaterThanOrEqualTo(SharedModules.MIN_BYTES);
        ModuleLoader a = new ModuleLoader(4, null, true, 1500);
        ModuleLoader b = new ModuleLoader(4, null, true, 1500);
        CompiledModule first = a.load(big);
        assertThat(b.load(big)).isSameAs(first);
        assertThat(b.metered(first, CostTable.defaults()))
                .isSameAs(a.metered(first, CostTable.defaults()));
        assertThat(new ModuleLoader(4, null, false, 1500).load(big)).isNotSameAs(first);
        assertThat(new ModuleLoader(4, null, true, 0).load(big)).isNotSameAs(first);
    }

    @Test
    void smallModulesStayWithTheirLoader() throws Exception {
        byte[] small = module(4, 2);
        CompiledModule first = new ModuleLoader(4, null, true, 1500).load(small);
        assertThat(new ModuleLoader(4, null, true, 1500).load(small)).isNotSameAs(first);
    }
}
