package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Airlock;
import dev.airlock.core.Policy;
import dev.airlock.core.testing.Guests;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module cache entry whose copy the launcher put on the class path takes its classes from the
 * application class loader; anything else that only looks like a copy does not.
 */
class ClassPathCopiesTest {
    /** A loader over {@code jar} (the application class loader's stand-in) that notes its loads. */
    private static final class Noting extends URLClassLoader {
        final List<String> loaded = Collections.synchronizedList(new ArrayList<>());

        Noting(Path jar) throws Exception {
            super(new URL[] {jar.toUri().toURL()}, Noting.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            loaded.add(name);
            return super.loadClass(name, resolve);
        }
    }

    /** The one entry a run of {@link DiskCacheReuseTest#FIB} leaves in {@code cache}, read back. */
    private static DiskCache.Entry entry(Path cache) throws Exception {
        Airlock a = Airlock.builder().diskCache(cache).build();
        assertThat(Guests.run(a, DiskCacheReuseTest.FIB, Policy.defaults()).stdout())
                .isEqualTo("55\n");
        Path jar;
        try (Stream<Path> files = Files.list(cache)) {
            jar = files.filter(f -> f.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        String name = jar.getFileName().toString();
        String key = name.substring(name.lastIndexOf('-') + 1, name.length() - ".jar".length());
        DiskCache.Entry e = new DiskCache(cache).get(key);
        assertThat(e).isNotNull();
        assertThat(e.file()).isEqualTo(jar);
        return e;
    }

    private static Path copy(DiskCache.Entry e, Path dir) throws Exception {
        Files.createDirectories(dir);
        return Files.copy(e.file(), dir.resolve(e.file().getFileName()));
    }

    @Test
    void anExactCopyOnTheClassPathServesEveryClass(@TempDir Path tmp) throws Exception {
        DiskCache.Entry e = entry(tmp.resolve("cache"));
        Path copy = copy(e, tmp.resolve("copies"));
        String classPath = "/nowhere/a.jar" + File.pathSeparator + copy;
        try (Noting app = new Noting(copy)) {
            assertThat(ClassPathCopies.loaderFor(e.file(), classPath, app)).isSameAs(app);
            assertThat(e.machineFactory(classPath, app)).isNotNull();
            assertThat(app.loaded).containsAll(e.classes());
        }
    }

    /**
     * The jar's entries, stored (not compressed); with {@code twist}, one class's last byte
     * flipped.
     */
    private static byte[] stored(Path jar, boolean twist) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean twisted = false;
        try (JarFile in = new JarFile(jar.toFile());
                JarOutputStream out = new JarOutputStream(buf)) {
            for (JarEntry je : Collections.list(in.entries())) {
                byte[] b = in.getInputStream(je).readAllBytes();
                if (twist && !twisted && je.getName().endsWith(".class")) {
                    b[b.length - 1] ^= 1;
                    twisted = true;
                }
                JarEntry o = new JarEntry(je.getName());
                o.setMethod(ZipEntry.STORED);
                o.setSize(b.length);
                CRC32 crc = new CRC32();
                crc.update(b);
                o.setCrc(crc.getValue());
                out.putNextEntry(o);
                out.write(b);
                out.closeEntry();
            }
        }
        assertThat(twisted).isEqualTo(twist);
        return buf.toByteArray();
    }

    @Test
    void noCopyOrALookAlikeLeavesTheEntryItsOwnLoader(@TempDir Path tmp) throws Exception {
        DiskCache.Entry e = entry(tmp.resolve("cache"));
        // the same name, the same size, one class's bytes changed: its CRC-32 differs (both jars
        // rewritten with stored entries, so that the change keeps the size)
        Files.write(e.file(), stored(e.file(), false));
        Path twisted = tmp.resolve("twisted").resolve(e.file().getFileName());
        Files.createDirectories(twisted.getParent());
        Files.write(twisted, stored(e.file(), true));
        assertThat(Files.size(twisted)).isEqualTo(Files.size(e.file()));
        // an exact copy under another name
        Path renamed = tmp.resolve("renamed.jar");
        Files.copy(e.file(), renamed, StandardCopyOption.REPLACE_EXISTING);
        // a copy cut short
        Path cut = tmp.resolve("cut").resolve(e.file().getFileName());
        Files.createDirectories(cut.getParent());
        byte[] whole = Files.readAllBytes(e.file());
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 1));
        try (Noting app = new Noting(renamed)) {
            for (String classPath :
                    new String[] {
                        "", twisted.toString(), renamed.toString(), cut.toString(), tmp.toString()
                    }) {
                assertThat(ClassPathCopies.loaderFor(e.file(), classPath, app))
                        .as(classPath)
                        .isNull();
                assertThat(e.machineFactory(classPath, app)).isNotNull();
            }
            assertThat(app.loaded).isEmpty();
        }
        // the entry itself still runs from the disk cache
        Airlock a = Airlock.builder().diskCache(tmp.resolve("cache")).build();
        assertThat(Guests.run(a, DiskCacheReuseTest.FIB, Policy.defaults()).stdout())
                .isEqualTo("55\n");
    }

    @Test
    void theLogNamesEachEntryReadOrWrittenOnlyWhenAsked(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("entries.log");
        String before = System.getProperty(ClassPathCopies.LOG);
        try {
            entry(tmp.resolve("quiet"));
            assertThat(log).doesNotExist();
            System.setProperty(ClassPathCopies.LOG, log.toString());
            DiskCache.Entry e = entry(tmp.resolve("cache")); // written, then read
            assertThat(Files.readAllLines(log))
                    .containsExactly(
                            e.file().toAbsolutePath().toString(),
                            e.file().toAbsolutePath().toString());
        } finally {
            if (before == null) {
                System.clearProperty(ClassPathCopies.LOG);
            } else {
                System.setProperty(ClassPathCopies.LOG, before);
            }
        }
    }
}
