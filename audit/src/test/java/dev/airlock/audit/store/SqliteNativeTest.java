package dev.airlock.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's native library is kept in a private cache folder, copied once from the driver's jar;
 * since the JVM loads it as code, a folder or a file others may write is never used.
 */
class SqliteNativeTest {
    private static byte[] driverLibrary(Path cached) throws Exception {
        String lib = System.mapLibraryName("sqlitejdbc");
        String resource =
                "/org/sqlite/native/"
                        + org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS()
                        + "/"
                        + lib;
        assertThat(cached.getFileName().toString()).endsWith(lib);
        try (InputStream in = org.sqlite.JDBC.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    @Test
    void theLibraryIsCopiedOnceIntoAPrivateFolder(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("native");
        Path file = SqliteNative.cachedLibrary(dir);
        assertThat(file).isNotNull().hasParent(dir);
        assertThat(Files.readAllBytes(file)).isEqualTo(driverLibrary(file));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
        Files.setLastModifiedTime(file, FileTime.fromMillis(0));
        assertThat(SqliteNative.cachedLibrary(dir)).isEqualTo(file);
        assertThat(Files.getLastModifiedTime(file).toMillis()).isZero();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).containsExactly(file);
        }
    }

    @Test
    void aFolderOthersMayWriteIsNotUsed(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("native"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(SqliteNative.cachedLibrary(dir)).isNull();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aPlantedFileOthersMayWriteIsNeitherUsedNorReplaced(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("native");
        Path file = SqliteNative.cachedLibrary(dir);
        Files.write(file, new byte[] {1, 2, 3});
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(SqliteNative.cachedLibrary(dir)).isNull();
        assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
    }
}
