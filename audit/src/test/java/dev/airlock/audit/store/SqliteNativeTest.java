package dev.airlock.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
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
        Object copied = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        Files.setLastModifiedTime(file, FileTime.fromMillis(0));
        assertThat(SqliteNative.cachedLibrary(dir)).isEqualTo(file);
        // the same file (not copied again), touched as used
        assertThat(Files.readAttributes(file, BasicFileAttributes.class).fileKey())
                .isEqualTo(copied);
        assertThat(Files.getLastModifiedTime(file).toMillis()).isPositive();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).containsExactly(file);
        }
    }

    @Test
    void copyingTheLibraryPrunesOtherBuildsUnusedForThirtyDays(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("native");
        Clock clock = Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);
        Path current = SqliteNative.cachedLibrary(dir, clock);
        assertThat(current).isNotNull();
        String lib = System.mapLibraryName("sqlitejdbc");
        Path stale = dir.resolve("sqlite-0123456789abcdef01234567-" + lib);
        Path recent = dir.resolve("sqlite-89abcdef0123456789abcdef-" + lib);
        Path other = dir.resolve("notes.txt");
        for (Path p : List.of(stale, recent, other)) {
            Files.write(p, new byte[] {1});
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        }
        Files.setLastModifiedTime(stale, FileTime.from(clock.instant().minus(Duration.ofDays(31))));
        Files.setLastModifiedTime(
                recent, FileTime.from(clock.instant().minus(Duration.ofDays(29))));
        Files.setLastModifiedTime(other, FileTime.from(clock.instant().minus(Duration.ofDays(99))));

        // using the current library prunes nothing
        assertThat(SqliteNative.cachedLibrary(dir, clock)).isEqualTo(current);
        assertThat(stale).exists();

        // copying it in (a new build) prunes what other builds left and no longer use
        Files.delete(current);
        assertThat(SqliteNative.cachedLibrary(dir, clock)).isEqualTo(current);
        assertThat(current).exists();
        assertThat(stale).doesNotExist();
        assertThat(recent).exists();
        assertThat(other).exists();
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
