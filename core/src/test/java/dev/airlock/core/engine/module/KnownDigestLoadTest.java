package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.Airlock;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.fuel.CostTable;
import dev.airlock.core.testing.Guests;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module loaded by its known SHA-256 is read only when no cache has it, and what is read must
 * match the digest: a wrong digest never lands a module in a cache under another's name.
 */
class KnownDigestLoadTest {
    private static final byte[] ADD =
            Guests.wat(
                    "(module (func (export \"add\") (param i32 i32) (result i32)"
                            + " local.get 0 local.get 1 i32.add))");
    private static final byte[] SUB =
            Guests.wat(
                    "(module (func (export \"sub\") (param i32 i32) (result i32)"
                            + " local.get 0 local.get 1 i32.sub))");

    private static Supplier<byte[]> counting(byte[] bytes, AtomicInteger reads) {
        return () -> {
            reads.incrementAndGet();
            return bytes.clone();
        };
    }

    @Test
    void aModuleCompiledOnDiskIsNeverReadAgain(@TempDir Path cache) throws Exception {
        String sha = ModuleLoader.sha256(ADD);
        AtomicInteger reads = new AtomicInteger();
        CompiledModule first =
                new ModuleLoader(4, cache, true).load(sha, ADD.length, counting(ADD, reads));
        assertThat(reads).hasValue(1);
        assertThat(first.sha256()).isEqualTo(sha);
        // a fresh loader (a new process) finds it on disk
        CompiledModule second =
                new ModuleLoader(4, cache, true).load(sha, ADD.length, counting(ADD, reads));
        assertThat(second.compileNote()).isEqualTo("from disk cache");
        assertThat(reads).hasValue(1);
        // metering needs the bytes: read then, once, and checked
        ModuleLoader third = new ModuleLoader(4, cache, true);
        CompiledModule plain = third.load(sha, ADD.length, counting(ADD, reads));
        assertThat(third.metered(plain, CostTable.defaults()).metered()).isTrue();
        assertThat(reads).hasValue(2);
        // and the API gives the same module as loading the bytes
        Airlock a = Airlock.builder().diskCache(cache).build();
        assertThat(a.load(sha, ADD.length, counting(ADD, reads)).sha256()).isEqualTo(sha);
    }

    @Test
    void bytesThatDoNotMatchTheirDigestAreRefusedAndCacheNothing(@TempDir Path cache)
            throws Exception {
        String addSha = ModuleLoader.sha256(ADD);
        AtomicInteger reads = new AtomicInteger();
        assertThatThrownBy(
                        () ->
                                new ModuleLoader(4, cache, true)
                                        .load(addSha, SUB.length, counting(SUB, reads)))
                .isInstanceOf(ModuleRejectedException.class)
                .hasMessageContaining("do not match")
                .satisfies(
                        e ->
                                assertThat(((ModuleRejectedException) e).reason())
                                        .isEqualTo("unreadable"));
        // nothing was cached under ADD's name: the right bytes are read and compiled now
        CompiledModule m =
                new ModuleLoader(4, cache, true).load(addSha, ADD.length, counting(ADD, reads));
        assertThat(reads).hasValue(2);
        assertThat(m.compileNote()).isNotEqualTo("from disk cache");
        assertThat(m.module().exportSection().getExport(0).name()).isEqualTo("add");
    }

    @Test
    void anUnreadableModuleIsATypedRejection(@TempDir Path cache) {
        String sha = ModuleLoader.sha256(ADD);
        assertThatThrownBy(
                        () ->
                                new ModuleLoader(4, cache, true)
                                        .load(
                                                sha,
                                                ADD.length,
                                                () -> {
                                                    throw new IllegalStateException("gone");
                                                }))
                .isInstanceOf(ModuleRejectedException.class)
                .hasMessage("cannot read the module: gone");
        assertThatThrownBy(() -> Airlock.builder().build().load("ABC", 1, () -> ADD))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
