package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.Limits;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Policy;
import dev.airlock.core.fuel.CostTable;
import dev.airlock.core.testing.Guests;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loaded module is validated at once and compiled on first use: a module only ever run with a
 * fuel budget has only its metered copy compiled.
 */
class DeferredCompileTest {
    private static final byte[] FIB = DiskCacheReuseTest.FIB;

    private static Policy fuel() {
        return Policy.builder().limits(Limits.builder().fuel(1_000_000).build()).build();
    }

    @Test
    void aRunWithFuelCompilesOnlyTheMeteredCopy(@TempDir Path cache) throws Exception {
        Airlock airlock = Airlock.builder().diskCache(cache).build();
        Guests.Run metered = Guests.run(airlock, FIB, fuel());
        assertThat(metered.stdout()).isEqualTo("55\n");
        assertThat(metered.outcome().usage().fuel()).isPositive();

        // what the first loader compiled went to disk: the metered copy, not the module as it is
        ModuleLoader next = new ModuleLoader(4, cache, true);
        assertThat(next.metered(next.loadDeferred(FIB), CostTable.defaults()).compileNote())
                .isEqualTo("from disk cache");
        LoadedModule plain = next.loadDeferred(FIB);
        assertThat(plain.compiledIfDone()).isNull();
        assertThat(plain.compiled().compileNote()).isNotEqualTo("from disk cache");
        assertThat(plain.compiled().compiled()).isTrue();
    }

    @Test
    void theModuleAsItIsIsCompiledWhenFirstRunWithoutFuel() throws Exception {
        Airlock airlock = Airlock.create();
        GuestModule module = airlock.load(FIB); // the same module the runs below load again
        assertThat(Guests.run(airlock, FIB, fuel()).stdout()).isEqualTo("55\n");
        assertThat(Guests.run(airlock, FIB, Policy.defaults()).stdout()).isEqualTo("55\n");
        assertThat(module.isCompiled()).isTrue();
        assertThat(airlock.load(FIB).layout()).isEqualTo(module.layout());
    }

    @Test
    void loadingStillValidatesAtOnce() {
        // well-formed, but its one function, of type [] -> [i32], leaves nothing on the stack
        byte[] invalid = {
            0,
            'a',
            's',
            'm',
            1,
            0,
            0,
            0, // header
            1,
            5,
            1,
            0x60,
            0,
            1,
            0x7f, // types: () -> i32
            3,
            2,
            1,
            0, // functions: one of type 0
            10,
            4,
            1,
            2,
            0,
            0x0b // code: no locals, end
        };
        assertThatThrownBy(() -> Airlock.create().load(invalid))
                .isInstanceOf(ModuleRejectedException.class)
                .extracting(e -> ((ModuleRejectedException) e).reason())
                .isEqualTo("invalid");
        assertThatThrownBy(() -> new ModuleLoader(4, null, true).loadDeferred(invalid))
                .isInstanceOf(ModuleRejectedException.class);
    }

    @Test
    void concurrentFirstUsesCompileOnce() throws Exception {
        LoadedModule m = new ModuleLoader(4, null, true).loadDeferred(FIB);
        assertThat(m.compiledIfDone()).isNull();
        CountDownLatch go = new CountDownLatch(1);
        Callable<CompiledModule> use =
                () -> {
                    go.await();
                    return m.compiled();
                };
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<CompiledModule> a = pool.submit(use);
            Future<CompiledModule> b = pool.submit(use);
            Future<CompiledModule> c = pool.submit(use);
            go.countDown();
            assertThat(a.get()).isSameAs(b.get()).isSameAs(c.get()).isSameAs(m.compiledIfDone());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aParsedModuleDroppedWhileWaitingIsParsedAgain() throws Exception {
        com.dylibso.chicory.wasm.WasmModule parsed = ModuleParser.parse(FIB, "fib");
        ModuleLoader.SoftlyParsed softly = new ModuleLoader.SoftlyParsed(parsed, FIB, "fib");
        assertThat(softly.get()).isSameAs(parsed);
        softly.drop();
        com.dylibso.chicory.wasm.WasmModule again = softly.get();
        assertThat(again).isNotSameAs(parsed);
        assertThat(again.codeSection().functionBodyCount())
                .isEqualTo(parsed.codeSection().functionBodyCount());
        assertThat(again.exportSection().exportCount())
                .isEqualTo(parsed.exportSection().exportCount());
        assertThat(again.codeSection().getFunctionBody(0).instructions())
                .isNotEmpty()
                .hasSameSizeAs(parsed.codeSection().getFunctionBody(0).instructions());
    }

    @Test
    void aLoaderThatInterpretsBuildsItsModulesAtOnce() throws Exception {
        ModuleLoader loader = new ModuleLoader(4, null, false);
        LoadedModule m = loader.loadDeferred(FIB);
        assertThat(m.compiledIfDone()).isNotNull();
        assertThat(m.compiled().compiled()).isFalse();
        CompiledModule metered = loader.metered(m, CostTable.defaults());
        assertThat(metered.compiled()).isFalse();
        assertThat(metered.compileNote()).isEqualTo("interpreter requested");
    }
}
