package dev.airlock.cli.resident;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resident process starts only in a folder of its user that no one else may enter. */
class ResidentMainTest {
    @TempDir Path tmp;

    private Path folder(String name, String mode) throws Exception {
        Path d = Files.createDirectory(tmp.resolve(name));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString(mode));
        return d;
    }

    @Test
    void takesOnlyAFolderClosedToOthers() throws Exception {
        assertThat(ResidentMain.isPrivate(folder("closed", "rwx------"))).isTrue();
        assertThat(ResidentMain.isPrivate(folder("readable", "rwxr-xr-x"))).isFalse();
        assertThat(ResidentMain.isPrivate(folder("group", "rwxrwx---"))).isFalse();
        assertThat(ResidentMain.isPrivate(folder("enterable", "rwx--x--x"))).isFalse();
        assertThat(ResidentMain.isPrivate(folder("shared", "rwxrwxrwx"))).isFalse();
    }

    @Test
    void refusesALinkAFileAndNothing() throws Exception {
        Path closed = folder("closed", "rwx------");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), closed);
        assertThat(ResidentMain.isPrivate(link)).isFalse();
        Path file = Files.createFile(tmp.resolve("file"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        assertThat(ResidentMain.isPrivate(file)).isFalse();
        assertThat(ResidentMain.isPrivate(tmp.resolve("missing"))).isFalse();
    }
}
