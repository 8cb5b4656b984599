package dev.airlock.core.engine.module;

import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Module cache entries that the {@code ./airlock} launcher also put on the JVM's class path.
 *
 * <p>A class-data-sharing archive serves a custom class loader's classes only after the loader has
 * read each class's bytes from its jar (the archive matches them by their checksum): for CPython's
 * 8.5 MB of compiled classes that reading was a fifth of a cold {@code py}. Classes on the class
 * path are served from the archive without reading the jar at all (the JVM checks the jar's size
 * and time once). So the launcher's training run logs the entries it uses ({@value #LOG}), the
 * launcher copies them next to its archive and puts the copies on the class path of its archive
 * dump and of every later start, and an entry whose copy is there takes its classes from the
 * application class loader.
 *
 * <p>A copy is recognised by its file name, which names the cache format and the module's key, its
 * size, and its entries (names, sizes and CRC-32s, as the two jars' directories list them), so that
 * classes and the cached module never come from two different compiles; whatever is on the class
 * path is trusted as the JVM's own code already.
 */
final class ClassPathCopies {
    /**
     * A system property naming a file to which each entry read or written is appended (its path, a
     * line each); unset (the default) logs nothing.
     */
    static final String LOG = "airlock.cache.entriesLog";

    private ClassPathCopies() {}

    /**
     * {@code app} if {@code classPath} (as in {@code java.class.path}) holds a copy of {@code
     * entry}: a file of the same name, size and entries; otherwise {@code null}.
     */
    static ClassLoader loaderFor(Path entry, String classPath, ClassLoader app) {
        Path name = entry.getFileName();
        if (name == null || classPath == null || classPath.isEmpty()) {
            return null;
        }
        try {
            long size = Files.size(entry);
            for (String element : classPath.split(File.pathSeparator)) {
                if (element.endsWith(name.toString())) {
                    Path p = Path.of(element);
                    if (name.equals(p.getFileName())
                            && Files.isRegularFile(p)
                            && Files.size(p) == size
                            && sameEntries(entry, p)) {
                        return app;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // the entry's own loader then
        }
        return null;
    }

    /**
     * Whether two jars hold the same entries: names, sizes and CRC-32s (from their directories).
     */
    private static boolean sameEntries(Path a, Path b) throws IOException {
        try (ZipFile za = new ZipFile(a.toFile());
                ZipFile zb = new ZipFile(b.toFile())) {
            if (za.size() != zb.size()) {
                return false;
            }
            for (Enumeration<? extends ZipEntry> all = za.entries(); all.hasMoreElements(); ) {
                ZipEntry x = all.nextElement();
                ZipEntry y = zb.getEntry(x.getName());
                if (y == null || y.getCrc() != x.getCrc() || y.getSize() != x.getSize()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Appends {@code entry} to the log that {@value #LOG} names, if it names one. */
    static synchronized void log(Path entry) {
        String log = System.getProperty(LOG);
        if (log == null || log.isEmpty()) {
            return;
        }
        try (Writer w =
                Files.newBufferedWriter(
                        Path.of(log),
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND)) {
            w.write(entry.toAbsolutePath() + "\n");
        } catch (IOException | RuntimeException e) {
            // the log only makes a later start faster
        }
    }
}
