package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Airlock;
import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.core.fuel.CostTable;
import dev.airlock.core.testing.Guests;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module compiled by one process is taken from the disk cache by the next one, plain and metered,
 * split or not, and runs the same: same output, same fuel.
 */
class DiskCacheReuseTest {
    /** Prints "55\n" (fib(10)) through fd_write, with a function long enough to be split. */
    static final byte[] FIB =
            Guests.wat(
                    """
                    (module
                      (import "wasi_snapshot_preview1" "fd_write"
                        (func $fd_write (param i32 i32 i32 i32) (result i32)))
                      (memory (export "memory") 1)
                      (func $fib (param i32) (result i32)
                        local.get 0 i32.const 2 i32.lt_u
                        if (result i32) local.get 0
                        else
                          local.get 0 i32.const 1 i32.sub call $fib
                          local.get 0 i32.const 2 i32.sub call $fib
                          i32.add
                        end)
                      (func (export "_start")
                        (local $n i32)
                        i32.const 10 call $fib local.set $n
                        i32.const 100 local.get $n i32.const 10 i32.div_u i32.const 48 i32.add i32.store8
                        i32.const 101 local.get $n i32.const 10 i32.rem_u i32.const 48 i32.add i32.store8
                        i32.const 102 i32.const 10 i32.store8
                        i32.const 0 i32.const 100 i32.store
                        i32.const 4 i32.const 3 i32.store
                        i32.const 1 i32.const 0 i32.const 1 i32.const 8 call $fd_write drop))
                    """);

    private static Guests.Run run(Path cache, int split, long fuel) {
        Airlock a = Airlock.builder().diskCache(cache).splitThreshold(split).build();
        Limits.Builder l = Limits.builder();
        if (fuel > 0) {
            l.fuel(fuel);
        }
        return Guests.run(a, FIB, Policy.builder().limits(l.build()).build());
    }

    private static String note(Path cache, int split, boolean metered) throws Exception {
        ModuleLoader loader = new ModuleLoader(4, cache, true, split);
        CompiledModule m = loader.load(FIB);
        return metered ? loader.metered(m, CostTable.defaults()).compileNote() : m.compileNote();
    }

    @Test
    void aSecondProcessTakesThePlainAndTheMeteredModuleFromDisk(@TempDir Path cache)
            throws Exception {
        for (int split : new int[] {0, 24}) {
            Path dir = cache.resolve("split" + split);
            Guests.Run plain = run(dir, split, 0);
            Guests.Run metered = run(dir, split, 1_000_000);
            assertThat(plain.stdout()).isEqualTo("55\n");
            assertThat(metered.stdout()).isEqualTo("55\n");
            assertThat(note(dir, split, false)).isEqualTo("from disk cache");
            assertThat(note(dir, split, true)).isEqualTo("from disk cache");
            Guests.Run again = run(dir, split, 1_000_000);
            assertThat(again.stdout()).isEqualTo("55\n");
            assertThat(again.outcome().usage().fuel())
                    .isEqualTo(metered.outcome().usage().fuel())
                    .isPositive();
            assertThat(run(dir, split, 0).stdout()).isEqualTo("55\n");
        }
    }

    /** The section ids of a module, in order. */
    private static java.util.List<Integer> sectionIds(byte[] m) {
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        int at = 8;
        while (at < m.length) {
            ids.add(m[at] & 0xFF);
            int p = at + 1;
            long size = 0;
            for (int shift = 0; ; shift += 7) {
                int b = m[p++] & 0xFF;
                size |= (long) (b & 0x7F) << shift;
                if (b < 0x80) {
                    break;
                }
            }
            at = (int) (p + size);
        }
        return ids;
    }

    @Test
    void theCacheKeepsNoCodeNorCustomSectionOfAFullyCompiledModule(@TempDir Path cache)
            throws Exception {
        // FIB with a custom section of 300 bytes at its end
        int payload = 1 + 1 + 300; // name length, name "x", content
        byte[] custom = new byte[3 + payload];
        custom[0] = 0; // custom section, its size in two bytes of LEB128
        custom[1] = (byte) (0x80 | (payload & 0x7F));
        custom[2] = (byte) (payload >> 7);
        custom[3] = 1;
        custom[4] = 'x';
        byte[] module = java.util.Arrays.copyOf(FIB, FIB.length + custom.length);
        System.arraycopy(custom, 0, module, FIB.length, custom.length);
        assertThat(sectionIds(module)).contains(0, 10);
        assertThat(new ModuleLoader(4, cache, true, 0).load(module).compileNote())
                .isNotEqualTo("from disk cache");
        byte[] kept;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(cache);
                java.util.jar.JarFile jar =
                        new java.util.jar.JarFile(
                                files.filter(f -> f.toString().endsWith(".jar"))
                                        .findFirst()
                                        .orElseThrow()
                                        .toFile())) {
            kept = jar.getInputStream(jar.getEntry("module.wasm")).readAllBytes();
        }
        assertThat(sectionIds(kept)).doesNotContain(0, 10).contains(1, 2, 3, 5, 7);
        // a later process takes it from there and runs it
        Airlock a = Airlock.builder().diskCache(cache).splitThreshold(0).build();
        assertThat(new ModuleLoader(4, cache, true, 0).load(module).compileNote())
                .isEqualTo("from disk cache");
        assertThat(Guests.run(a, module, Policy.defaults()).stdout()).isEqualTo("55\n");
    }

    @Test
    void bytesWhoseSectionsCannotBeWalkedAreKeptWhole() {
        byte[] truncated = java.util.Arrays.copyOf(FIB, FIB.length - 3);
        assertThat(CachedModules.strip(truncated)).isSameAs(truncated);
        byte[] endless = java.util.Arrays.copyOf(FIB, 14);
        java.util.Arrays.fill(endless, 9, 14, (byte) 0xFF); // a size that never ends
        assertThat(CachedModules.strip(endless)).isSameAs(endless);
        byte[] tiny = {0, 'a', 's'};
        assertThat(CachedModules.strip(tiny)).isSameAs(tiny);
    }

    @Test
    void anEntryWithADamagedClassIsCompiledAgain(@TempDir Path cache) throws Exception {
        assertThat(run(cache, 0, 0).stdout()).isEqualTo("55\n");
        Path jar;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(cache)) {
            jar = files.filter(f -> f.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        // the same entries, each class's bytecode cut in half (the zip itself stays sound)
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        try (java.util.jar.JarFile in = new java.util.jar.JarFile(jar.toFile());
                java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(buf)) {
            for (java.util.jar.JarEntry e : java.util.Collections.list(in.entries())) {
                byte[] b = in.getInputStream(e).readAllBytes();
                out.putNextEntry(new java.util.jar.JarEntry(e.getName()));
                out.write(
                        e.getName().endsWith(".class")
                                ? java.util.Arrays.copyOf(b, b.length / 2)
                                : b);
                out.closeEntry();
            }
        }
        java.nio.file.Files.write(jar, buf.toByteArray());
        assertThat(note(cache, 0, false)).isNotEqualTo("from disk cache");
        assertThat(run(cache, 0, 0).stdout()).isEqualTo("55\n");
    }
}
