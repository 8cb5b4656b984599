package dev.airlock.core.engine.module;

import com.dylibso.chicory.compiler.internal.ClassLoadingCollector;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import dev.airlock.core.CachePruner;
import dev.airlock.core.PrivateFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.Deflater;

/**
 * Compiled modules on disk, one jar per module SHA-256 and engine version, published atomically:
 * the classes, and the module exactly as compiled (after metering and splitting; without its code
 * and custom sections when no function is left to the interpreter, see {@link CachedModules#strip})
 * with what its fuel global is, so that a hit needs neither of those passes nor validation again.
 * The folder is created owner-only, and read only while it and the file are {@linkplain
 * PrivateFolder trusted}: its content is code the JVM will load. Each hit marks the entry used, and
 * each new entry prunes the folder ({@link CachePruner}: entries unused for 30 days, then the least
 * recently used past 2 GiB).
 */
final class DiskCache {
    private static final String VERSION =
            "airlock21"
                    + (RewritingCollector.OFF ? "-plain" : "")
                    + (IndirectCalls.OFF ? "-indirect" : "")
                    + (OpcodeCalls.OFF ? "-calls" : "")
                    + (OpcodeCalls.MIN_INSTRUCTIONS != FlatAccesses.MIN_INSTRUCTIONS
                            ? "-ops" + OpcodeCalls.MIN_INSTRUCTIONS
                            : "")
                    + (RewritingCollector.PLAIN_CHECKS ? "-checks" : "")
                    + (FlatAccesses.MIN_INSTRUCTIONS != FlatAccesses.DEFAULT_MIN
                            ? "-flat" + FlatAccesses.MIN_INSTRUCTIONS
                            : "")
                    + "-chicory1.7.5";
    private final Path dir;

    DiskCache(Path dir) {
        this.dir = dir;
    }

    /**
     * @param file the entry's jar, which the classes are loaded from
     * @param classes the names of its classes
     * @param module the module the classes were compiled from (stripped when {@code interpreted} is
     *     empty)
     * @param fuelGlobal its fuel global, or -1 if it is not metered
     * @param fuelDefined that global's position among the module's own globals, or -1
     * @param bigMethods the largest compiled functions with their bytecode sizes ({@link
     *     BigMethods})
     */
    record Entry(
            Path file,
            List<String> classes,
            String mainClass,
            Set<Integer> interpreted,
            byte[] module,
            int fuelGlobal,
            int fuelDefined,
            Map<String, Integer> bigMethods) {

        /**
         * The machine, its classes loaded from the application class loader where the class path
         * holds a copy of the entry ({@link ClassPathCopies}: the launcher's archive then serves
         * them without reading the jar), otherwise from the entry's jar by a class loader of their
         * own (which a class-data-sharing archive can also serve, once it has read their bytes).
         * Every class is loaded here, so a damaged entry fails now, not in the middle of a run.
         *
         * @throws LinkageError or a runtime exception if the jar cannot be loaded
         */
        Function<Instance, Machine> machineFactory() {
            return machineFactory(
                    System.getProperty("java.class.path", ""), ClassLoader.getSystemClassLoader());
        }

        /**
         * {@link #machineFactory()} for the class path {@code classPath} of the loader {@code app}.
         */
        Function<Instance, Machine> machineFactory(String classPath, ClassLoader app) {
            ClassLoader loader = ClassPathCopies.loaderFor(file, classPath, app);
            if (loader == null) {
                try {
                    loader =
                            new URLClassLoader(
                                    new URL[] {file.toUri().toURL()},
                                    Machine.class.getClassLoader());
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }
            try {
                for (String name : classes) {
                    Class.forName(name, false, loader);
                }
                return Machines.factory(
                        Class.forName(mainClass, false, loader)
                                .asSubclass(Machine.class)
                                .getConstructor(Instance.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
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
        try (JarFile jar = new JarFile(f.toFile(), false)) {
            List<String> classes = new ArrayList<>();
            Properties props = new Properties();
            byte[] module = null;
            for (Enumeration<JarEntry> all = jar.entries(); all.hasMoreElements(); ) {
                JarEntry e = all.nextElement();
                if (e.getName().equals("airlock.properties")) {
                    try (InputStream in = jar.getInputStream(e)) {
                        props.load(in);
                    }
                } else if (e.getName().equals("module.wasm")) {
                    try (InputStream in = jar.getInputStream(e)) {
                        module = in.readAllBytes();
                    }
                } else if (e.getName().endsWith(".class")) {
                    String name = e.getName().replace('/', '.');
                    classes.add(name.substring(0, name.length() - 6));
                }
            }
            String main = props.getProperty("mainClass");
            if (main == null
                    || module == null
                    || !classes.contains(main)
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
            Map<String, Integer> big = new TreeMap<>();
            for (String s : props.getProperty("bigMethods", "").split(",")) {
                int colon = s.lastIndexOf(':');
                if (colon > 0) {
                    big.put(s.substring(0, colon).trim(), Integer.parseInt(s.substring(colon + 1)));
                }
            }
            CachePruner.touch(f, Clock.systemUTC());
            ClassPathCopies.log(f);
            return new Entry(
                    f,
                    List.copyOf(classes),
                    main,
                    Set.copyOf(interpreted),
                    module,
                    Integer.parseInt(props.getProperty("fuelGlobal", "-1")),
                    Integer.parseInt(props.getProperty("fuelDefined", "-1")),
                    Map.copyOf(big));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void put(
            String sha,
            ClassLoadingCollector c,
            Set<Integer> interpreted,
            byte[] module,
            CompiledModule.Fuel fuel,
            Map<String, Integer> bigMethods) {
        try {
            if (!PrivateFolder.prepare(dir)) {
                return;
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (JarOutputStream jar = new JarOutputStream(buf)) {
                // CPython's 14 MB of classes: 0.14 s instead of 0.42 s to deflate, 4.9 MB instead
                // of 4.4 (reading them back inflates at the same speed)
                jar.setLevel(Deflater.BEST_SPEED);
                Properties props = new Properties();
                props.setProperty("mainClass", c.mainClassName());
                props.setProperty("sha256", sha);
                StringBuilder sb = new StringBuilder();
                for (Integer i : interpreted) {
                    sb.append(sb.length() == 0 ? "" : ",").append(i);
                }
                props.setProperty("interpreted", sb.toString());
                StringBuilder big = new StringBuilder();
                bigMethods.forEach(
                        (m, size) ->
                                big.append(big.length() == 0 ? "" : ",")
                                        .append(m)
                                        .append(':')
                                        .append(size));
                props.setProperty("bigMethods", big.toString());
                if (fuel != null) {
                    props.setProperty("fuelGlobal", Integer.toString(fuel.global()));
                    props.setProperty("fuelDefined", Integer.toString(fuel.definedIndex()));
                }
                jar.putNextEntry(new JarEntry("airlock.properties"));
                props.store(jar, null);
                jar.closeEntry();
                jar.putNextEntry(new JarEntry("module.wasm"));
                jar.write(interpreted.isEmpty() ? CachedModules.strip(module) : module);
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
            ClassPathCopies.log(file(sha));
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
