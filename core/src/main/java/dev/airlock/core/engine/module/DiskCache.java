package dev.airlock.core.engine.module;

import com.dylibso.chicory.compiler.internal.ClassLoadingCollector;
import dev.airlock.core.CachePruner;
import dev.airlock.core.PrivateFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;

/**
 * Compiled modules on disk, one jar per module SHA-256 and engine version, published atomically:
 * the classes, and the module exactly as compiled (after metering and splitting) with what its fuel
 * global is, so that a hit needs neither of those passes nor validation again. The folder is
 * created owner-only, and read only while it and the file are {@linkplain PrivateFolder trusted}:
 * its content is code the JVM will load. Each hit marks the entry used, and each new entry prunes
 * the folder ({@link CachePruner}: entries unused for 30 days, then the least recently used past 2
 * GiB).
 */
final class DiskCache {
    private static final String VERSION = "airlock10-chicory1.7.5";
    private final Path dir;

    DiskCache(Path dir) {
        this.dir = dir;
    }

    /**
     * @param module the module the classes were compiled from
     * @param fuelGlobal its fuel global, or -1 if it is not metered
     * @param fuelDefined that global's position among the module's own globals, or -1
     */
    record Entry(
            Map<String, byte[]> classes,
            String mainClass,
            Set<Integer> interpreted,
            byte[] module,
            int fuelGlobal,
            int fuelDefined) {
        ClassLoadingCollector load() {
            ClassLoadingCollector c = new ClassLoadingCollector();
            c.putMainClass(mainClass, classes.get(mainClass));
            classes.forEach(
                    (name, bytes) -> {
                        if (!name.equals(mainClass)) {
                            c.put(name, bytes);
                        }
                    });
            return c;
        }
    }

    private Path file(String sha) {
        return dir.resolve(VERSION + "-" + sha + ".jar");
    }

    Entry get(String sha) {
        Path f = file(sha);
        if (!PrivateFolder.trustedFile(dir, f)) {
            return null; // code the JVM would load: only from the user's own, private folder
        }
        try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS);
                JarInputStream jar = new JarInputStream(in)) {
            Map<String, byte[]> classes = new LinkedHashMap<>();
            Properties props = new Properties();
            byte[] module = null;
            JarEntry e;
            while ((e = jar.getNextJarEntry()) != null) {
                if (e.getName().equals("airlock.properties")) {
                    props.load(jar);
                } else if (e.getName().equals("module.wasm")) {
                    module = jar.readAllBytes();
                } else if (e.getName().endsWith(".class")) {
                    String name = e.getName().replace('/', '.');
                    classes.put(name.substring(0, name.length() - 6), jar.readAllBytes());
                }
            }
            String main = props.getProperty("mainClass");
            if (main == null
                    || module == null
                    || !classes.containsKey(main)
                    || !sha.equals(props.getProperty("sha256"))) {
                return null;
            }
            Set<Integer> interpreted = new HashSet<>();
            String list = props.getProperty("interpreted", "");
            for (String s : list.split(",")) {
                if (!s.isBlank()) {
                    interpreted.add(Integer.parseInt(s.trim()));
                }
            }
            CachePruner.touch(f, Clock.systemUTC());
            return new Entry(
                    classes,
                    main,
                    Set.copyOf(interpreted),
                    module,
                    Integer.parseInt(props.getProperty("fuelGlobal", "-1")),
                    Integer.parseInt(props.getProperty("fuelDefined", "-1")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void put(
            String sha,
            ClassLoadingCollector c,
            Set<Integer> interpreted,
            byte[] module,
            CompiledModule.Fuel fuel) {
        try {
            if (!PrivateFolder.prepare(dir)) {
                return;
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (JarOutputStream jar = new JarOutputStream(buf)) {
                Properties props = new Properties();
                props.setProperty("mainClass", c.mainClassName());
                props.setProperty("sha256", sha);
                StringBuilder sb = new StringBuilder();
                for (Integer i : interpreted) {
                    sb.append(sb.length() == 0 ? "" : ",").append(i);
                }
                props.setProperty("interpreted", sb.toString());
                if (fuel != null) {
                    props.setProperty("fuelGlobal", Integer.toString(fuel.global()));
                    props.setProperty("fuelDefined", Integer.toString(fuel.definedIndex()));
                }
                jar.putNextEntry(new JarEntry("airlock.properties"));
                props.store(jar, null);
                jar.closeEntry();
                jar.putNextEntry(new JarEntry("module.wasm"));
                jar.write(module);
                jar.closeEntry();
                for (Map.Entry<String, byte[]> e : c.classBytes().entrySet()) {
                    jar.putNextEntry(new JarEntry(e.getKey().replace('.', '/') + ".class"));
                    jar.write(e.getValue());
                    jar.closeEntry();
                }
            }
            Path tmp = Files.createTempFile(dir, "tmp-", ".jar");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                buf.writeTo(out);
            }
            Files.move(
                    tmp,
                    file(sha),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            // entries of other builds are never read again by this one: drop them once unused
            CachePruner.prune(
                    dir,
                    "airlock",
                    ".jar",
                    file(sha),
                    CachePruner.maxBytes(),
                    CachePruner.maxIdle(),
                    Clock.systemUTC());
        } catch (IOException | RuntimeException e) {
            // the cache is an optimisation: a failure to write it costs a later recompile only
        }
    }
}
