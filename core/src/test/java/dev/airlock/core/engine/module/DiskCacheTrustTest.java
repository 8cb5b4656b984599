package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.testing.Guests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiled code on disk is loaded into the JVM, so a cache another user could write is a way into
 * the host: entries are read only from a folder and a file the user owns and nobody else may write.
 */
class DiskCacheTrustTest {
    private static final byte[] MODULE =
            Guests.wat("(module (func (export \"f\") (result i32) i32.const 7))");

    private static String noteOfFreshLoad(Path cache) throws Exception {
        return new ModuleLoader(4, cache, true, 0).load(MODULE).compileNote();
    }

    private static Path onlyJar(Path cache) throws Exception {
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
    }

    @Test
    void aPrivateCacheIsUsed(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        noteOfFreshLoad(cache);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
                .isEqualTo("rwx------");
        assertThat(noteOfFreshLoad(cache)).isEqualTo("from disk cache");
    }

    @Test
    void aFolderOthersMayWriteIsIgnored(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        noteOfFreshLoad(cache);
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(noteOfFreshLoad(cache)).isNotEqualTo("from disk cache");
    }

    @Test
    void aFileOthersMayWriteIsIgnored(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        noteOfFreshLoad(cache);
        Files.setPosixFilePermissions(onlyJar(cache), PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(noteOfFreshLoad(cache)).isNotEqualTo("from disk cache");
    }

    @Test
    void aLinkToAJarElsewhereIsIgnored(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        noteOfFreshLoad(cache);
        Path jar = onlyJar(cache);
        Path elsewhere = Files.move(jar, tmp.resolve("planted.jar"));
        Files.createSymbolicLink(jar, elsewhere);
        assertThat(noteOfFreshLoad(cache)).isNotEqualTo("from disk cache");
    }
}
