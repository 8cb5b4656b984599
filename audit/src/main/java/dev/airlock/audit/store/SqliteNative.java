package dev.airlock.audit.store;

import dev.airlock.core.CachePruner;
import dev.airlock.core.PrivateFolder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Keeps SQLite's native library in a private cache folder. The SQLite driver otherwise copies its
 * library out of its jar into the temporary folder under a new name in every process (about a tenth
 * of a second of a short command's start); from a cache it is loaded where it is. The file is named
 * after the driver's version and jar, written atomically, and used only while it and its folder are
 * {@linkplain PrivateFolder trusted}, since the JVM loads it as code. Anything unusual leaves the
 * driver to its own extraction. Each build of the CLI copies its own, so a copy is touched when
 * used and copying one prunes the others unused for the cache's idle limit ({@link CachePruner}).
 */
public final class SqliteNative {
    private static final String PATH = "org.sqlite.lib.path";
    private static final String NAME = "org.sqlite.lib.name";
    private static boolean decided;
    private static volatile String identity;

    private SqliteNative() {}

    /**
     * Makes the SQLite driver load its native library from {@code dir} (creating the folder and the
     * file on first use); call before the first store is opened. Does nothing if the library is
     * already chosen (by the system properties {@value #PATH} and {@value #NAME}, or by an earlier
     * call); never throws.
     */
    public static synchronized void useCache(Path dir) {
        if (decided || dir == null || System.getProperty(PATH) != null) {
            return;
        }
        decided = true;
        Path file = cachedLibrary(dir);
        if (file != null) {
            System.setProperty(PATH, dir.toString());
            System.setProperty(NAME, file.getFileName().toString());
        }
    }

    /**
     * The driver's native library in {@code dir}, copied there from the driver's jar if missing;
     * {@code null} if the folder or an existing file is not trusted, or anything fails.
     */
    static Path cachedLibrary(Path dir) {
        return cachedLibrary(dir, Clock.systemUTC());
    }

    /**
     * As {@link #cachedLibrary(Path)}, at {@code clock}'s time: a library used is touched, and one
     * copied in prunes the libraries of other drivers and jars unused for {@linkplain
     * CachePruner#maxIdle() the cache's idle limit} (each build of the CLI has its own).
     */
    static Path cachedLibrary(Path dir, Clock clock) {
        try {
            String lib = System.mapLibraryName("sqlitejdbc");
            Path file = dir.resolve("sqlite-" + identity() + "-" + lib);
            if (!PrivateFolder.prepare(dir)) {
                return null;
            }
            if (PrivateFolder.trustedFile(dir, file)) {
                CachePruner.touch(file, clock);
                return file;
            }
            // only to extract it: the driver's platform probe starts a process (uname -o)
            String resource =
                    "/org/sqlite/native/"
                            + org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS()
                            + "/"
                            + lib;
            if (Files.exists(file) || !extract(resource, dir, file)) {
                return null;
            }
            CachePruner.prune(
                    dir,
                    "sqlite-",
                    "-" + lib,
                    file,
                    CachePruner.maxBytes(),
                    CachePruner.maxIdle(),
                    clock);
            return file;
        } catch (IOException | RuntimeException | LinkageError e) {
            return null; // the driver extracts its library itself
        }
    }

    /** The driver's version and jar (path, size, time), hashed; worked out once per process. */
    static String identity() throws IOException {
        String known = identity;
        if (known == null) {
            known = identityOfJar();
            identity = known;
        }
        return known;
    }

    private static String identityOfJar() throws IOException {
        try {
            Path jar =
                    Path.of(
                            org.sqlite
                                    .JDBC
                                    .class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            String id =
                    org.sqlite.SQLiteJDBCLoader.getVersion()
                            + " "
                            + jar
                            + " "
                            + Files.size(jar)
                            + " "
                            + Files.getLastModifiedTime(jar).toMillis();
            byte[] d =
                    MessageDigest.getInstance("SHA-256")
                            .digest(id.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (URISyntaxException | NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

    private static boolean extract(String resource, Path dir, Path file) throws IOException {
        try (InputStream in = org.sqlite.JDBC.class.getResourceAsStream(resource)) {
            if (in == null) {
                return false;
            }
            Path tmp = Files.createTempFile(dir, "tmp-", ".lib");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return true;
        }
    }
}
