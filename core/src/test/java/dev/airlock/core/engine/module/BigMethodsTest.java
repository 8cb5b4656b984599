package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.testing.Guests;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The compiled functions too big for C1 are found in the generated classes, recorded in the disk
 * cache and named, with their module's own class name, in a JIT directive that keeps C1 away from
 * them and from nothing else.
 */
class BigMethodsTest {
    /** A module with one small function and one whose straight-line body compiles to ~20 KB. */
    private static byte[] module(int salt) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            body.append("local.get 0 i32.const ")
                    .append(i + salt)
                    .append(" i32.mul i32.const 3 i32.add local.set 0\n");
        }
        return Guests.wat(
                "(module\n"
                        + "  (func (export \"small\") (param i32) (result i32)"
                        + " local.get 0 i32.const 1 i32.add)\n"
                        + "  (func (export \"big\") (param i32) (result i32)\n"
                        + body
                        + "    local.get 0))");
    }

    static Map<String, byte[]> classes(Path jar) throws Exception {
        Map<String, byte[]> out = new HashMap<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            for (JarEntry e : Collections.list(j.entries())) {
                if (e.getName().endsWith(".class")) {
                    try (InputStream in = j.getInputStream(e)) {
                        String name = e.getName().replace('/', '.');
                        out.put(name.substring(0, name.length() - 6), in.readAllBytes());
                    }
                }
            }
        }
        return out;
    }

    /** The methods of every class in the one cache entry in {@code cache}. */
    static List<MethodNode> methods(Path cache) throws Exception {
        List<MethodNode> out = new ArrayList<>();
        for (byte[] c : classes(onlyJar(cache)).values()) {
            ClassNode cn = new ClassNode();
            new ClassReader(c).accept(cn, 0);
            out.addAll(cn.methods);
        }
        return out;
    }

    /** The methods of the cached entry's classes that are the module's functions. */
    static List<MethodNode> functions(Path cache) throws Exception {
        return methods(cache).stream().filter(m -> m.name.startsWith("func_")).toList();
    }

    private static Properties properties(Path jar) throws Exception {
        Properties p = new Properties();
        try (JarFile j = new JarFile(jar.toFile());
                InputStream in = j.getInputStream(j.getEntry("airlock.properties"))) {
            p.load(in);
        }
        return p;
    }

    static Path onlyJar(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> jars = s.filter(p -> p.toString().endsWith(".jar")).toList();
            assertThat(jars).hasSize(1);
            return jars.get(0);
        }
    }

    @Test
    void theBigFunctionIsFoundRecordedAndKeptFromC1(@TempDir Path cache) throws Exception {
        new ModuleLoader(4, cache, true, 0).load(module(0));
        Path jar = onlyJar(cache);
        Map<String, Integer> big = BigMethods.find(classes(jar), JitTuning.DEFAULT_C1_LIMIT);
        assertThat(big).hasSize(1);
        String method = big.keySet().iterator().next();
        // function 1 ("big"), in classes named after this module's cache key
        String key = jar.getFileName().toString().replaceAll(".*-([0-9a-f]{64})\\.jar", "$1");
        assertThat(method)
                .isEqualTo(
                        "com/dylibso/chicory/$gen/M"
                                + key.substring(0, 16)
                                + "MachineFuncGroup_0.func_1");
        assertThat(big.get(method)).isGreaterThan(JitTuning.DEFAULT_C1_LIMIT);
        assertThat(properties(jar).getProperty("bigMethods"))
                .isEqualTo(method + ":" + big.get(method));

        // the directive is added in the background: wait for it (a few seconds at most)
        String printed = JitTuningTest.printDirectives();
        for (int i = 0; i < 300 && !printed.contains("matching: " + method); i++) {
            Thread.sleep(100);
            printed = JitTuningTest.printDirectives();
        }
        int at = printed.indexOf("matching: " + method);
        assertThat(at).isGreaterThanOrEqualTo(0);
        String ours = printed.substring(at, printed.indexOf("Directive:", at));
        assertThat(ours).contains("Exclude:true");
        // the small function is not named
        assertThat(printed).doesNotContain(method.replace("func_1", "func_0"));
    }

    @Test
    void aModuleFromTheDiskCacheNamesItsBigFunctionsToo(@TempDir Path cache) throws Exception {
        new ModuleLoader(4, cache, true, 0).load(module(1));
        CompiledModule again = new ModuleLoader(4, cache, true, 0).load(module(1));
        assertThat(again.compileNote()).isEqualTo("from disk cache");
        DiskCache.Entry e = new DiskCache(cache).get(onlyJarKey(cache));
        assertThat(e).isNotNull();
        assertThat(e.bigMethods()).hasSize(1);
        assertThat(e.bigMethods().keySet().iterator().next()).endsWith(".func_1");
    }

    @Test
    void twoModulesGetClassesOfTheirOwn(@TempDir Path cache) throws Exception {
        new ModuleLoader(4, cache.resolve("a"), true, 0).load(module(2));
        new ModuleLoader(4, cache.resolve("b"), true, 0).load(module(3));
        List<String> names = new ArrayList<>(classes(onlyJar(cache.resolve("a"))).keySet());
        names.retainAll(classes(onlyJar(cache.resolve("b"))).keySet());
        assertThat(names).isEmpty();
    }

    @Test
    void whatIsNotAClassFileIsSkipped() {
        Map<String, byte[]> junk = new HashMap<>();
        junk.put("a.Empty", new byte[0]);
        junk.put("a.Magic", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0});
        junk.put("a.Noise", noise(7));
        assertThat(BigMethods.find(junk, 1)).isEmpty();
    }

    private static String onlyJarKey(Path dir) throws Exception {
        return onlyJar(dir).getFileName().toString().replaceAll(".*-([0-9a-f]{64})\\.jar", "$1");
    }

    /** 4 KiB of random bytes after a class file's magic number. */
    static byte[] noise(long seed) {
        byte[] noise = new byte[4096];
        new java.util.Random(seed).nextBytes(noise);
        noise[0] = (byte) 0xCA;
        noise[1] = (byte) 0xFE;
        noise[2] = (byte) 0xBA;
        noise[3] = (byte) 0xBE;
        return noise;
    }
}
