package dev.airlock.core.hostile;

import static dev.airlock.core.hostile.Hostile.EROFS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.airlock.core.Denial;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest in the interpreters' single filesystem that tries to move or remove the mounts' folders,
 * or the folders above them: moved away, a read-only mount's copy would no longer be read-only, and
 * a read-write mount could not be copied back. Each attempt fails with {@code EBUSY} (a read-only
 * mount's own folder with {@code EROFS}) as a denial; folders that hold no mount move as usual.
 */
class MountPointTest {
    private static final int EBUSY = 10;
    private static final int ENOENT = 44;
    private static final String VICTIM = "victim-original";

    @TempDir Path ro;
    @TempDir Path rw;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(ro.resolve("victim.txt"), VICTIM);
    }

    private Policy policy() {
        return Hostile.dataAndWorkspace(ro, rw);
    }

    @Test
    void theMountsFoldersCannotBeMovedOrRemoved() throws IOException {
        Map<String, String> before = Hostile.snapshot(ro);
        Hostile.Result r =
                Hostile.runSingleRoot(
                        new Script()
                                .mkdir(3, "workspace/inner")
                                // moved away, a read-only mount's copy would be writable
                                .rename(3, "data", 3, "workspace/moved")
                                .write(3, "workspace/moved/victim.txt", "PWNED")
                                // a read-write mount moved or removed could not be copied back
                                .rename(3, "workspace", 3, "elsewhere")
                                .rename(3, "workspace/inner", 3, "workspace")
                                .rmdir(3, "workspace/inner")
                                .rmdir(3, "workspace")
                                .read(3, "data/victim.txt")
                                .build(),
                        policy());
        assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
        assertThat(r.stdout())
                .isEqualTo(Script.lines(0, EROFS, ENOENT, EBUSY, EBUSY, 0, EBUSY, 0, VICTIM));
        assertThat(r.outcome().denials())
                .extracting(Denial::call, Denial::rule)
                .containsExactly(
                        tuple("wasi_snapshot_preview1.path_rename", "fs.read-only"),
                        tuple("wasi_snapshot_preview1.path_rename", "fs.mount-point"),
                        tuple("wasi_snapshot_preview1.path_rename", "fs.mount-point"),
                        tuple("wasi_snapshot_preview1.path_remove_directory", "fs.mount-point"));
        assertThat(Hostile.snapshot(ro)).isEqualTo(before);
        assertThat(Files.exists(rw.resolve("inner"))).isFalse();
    }
}
