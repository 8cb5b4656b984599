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
 * In the single-root filesystem of the interpreters every mount lives in one volume, so links can
 * join them. A guest links, or makes symbolic links, from the read-write mount to a read-only one
 * and writes through them: a hard link out of a read-only mount fails with {@code EXDEV}, as
 * between two mounts, and a write, a removal or a rename through a symbolic link into the read-only
 * mount fails with {@code EROFS}; the read-only file stays as it was, inside the sandbox and on the
 * host.
 */
class ReadOnlyLinkTest {
    private static final int EXDEV = 75;
    private static final String VICTIM = "victim-original";

    @TempDir Path ro;
    @TempDir Path rw;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(ro.resolve("victim.txt"), VICTIM);
        Files.createDirectory(ro.resolve("sub"));
        Files.writeString(ro.resolve("sub/inner.txt"), "inner-original");
    }

    private Policy policy() {
        return Hostile.dataAndWorkspace(ro, rw);
    }

    @Test
    void aHardLinkOutOfAReadOnlyMountIsRefused() throws IOException {
        Map<String, String> before = Hostile.snapshot(ro);
        Hostile.Result r =
                Hostile.runSingleRoot(
                        new Script()
                                .link(3, "data/victim.txt", 3, "workspace/hl")
                                // with SYMLINK_FOLLOW too
                                .call(
                                        "(call $path_link (i32.const 3) (i32.const 1)"
                                                + " (i32.const 1024) (i32.const 15) (i32.const 3)"
                                                + " (i32.const 1040) (i32.const 12))")
                                .link(3, "data/sub/inner.txt", 3, "workspace/hl2")
                                // so writing at the link's name makes a new file
                                .write(3, "workspace/hl", "PWNED")
                                .read(3, "data/victim.txt")
                                .read(3, "data/sub/inner.txt")
                                .build(),
                        policy());
        assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
        assertThat(r.stdout())
                .isEqualTo(
                        Script.lines(EXDEV, EXDEV, EXDEV, 0, 0, 0, 0, VICTIM, 0, "inner-original"));
        assertThat(r.outcome().denials())
                .extracting(Denial::call, Denial::rule)
                .containsExactly(
                        tuple("wasi_snapshot_preview1.path_link", "fs.read-only"),
                        tuple("wasi_snapshot_preview1.path_link", "fs.read-only"),
                        tuple("wasi_snapshot_preview1.path_link", "fs.read-only"));
        assertThat(Hostile.snapshot(ro)).isEqualTo(before);
        assertThat(Files.readString(rw.resolve("hl"))).isEqualTo("PWNED");
    }

    @Test
    void writingThroughASymbolicLinkIntoAReadOnlyMountIsRefused() throws IOException {
        Map<String, String> before = Hostile.snapshot(ro);
        Hostile.Result r =
                Hostile.runSingleRoot(
                        new Script()
                                // links to read-only files and folders may be made and read
                                .symlink("data/victim.txt", 3, "workspace/sl")
                                .symlink("data", 3, "workspace/dl")
                                .symlink("workspace/../data/sub", 3, "workspace/rel")
                                .read(3, "workspace/sl")
                                .read(3, "workspace/dl/victim.txt")
                                // but nothing changes through them
                                .write(3, "workspace/sl", "PWNED-1")
                                .write(3, "workspace/dl/victim.txt", "PWNED-2")
                                .write(3, "workspace/dl/new.txt", "PWNED-3")
                                .unlink(3, "workspace/dl/victim.txt")
                                .mkdir(3, "workspace/dl/newdir")
                                .rename(3, "workspace/dl/victim.txt", 3, "workspace/moved")
                                .rename(3, "workspace/sl", 3, "workspace/dl/x")
                                .link(3, "workspace/sl", 3, "workspace/hl")
                                .link(3, "workspace/dl/victim.txt", 3, "workspace/hl")
                                .write(3, "workspace/rel/inner.txt", "PWNED-4")
                                .read(3, "data/victim.txt")
                                .read(3, "data/sub/inner.txt")
                                .build(),
                        policy());
        assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
        assertThat(r.stdout())
                .isEqualTo(
                        Script.lines(
                                0,
                                0,
                                0, // the links
                                0,
                                VICTIM,
                                0,
                                VICTIM, // reads through them
                                EROFS,
                                EROFS,
                                EROFS, // writes
                                EROFS,
                                EROFS, // unlink, mkdir
                                EROFS,
                                EROFS, // renames
                                EXDEV,
                                EXDEV, // hard links
                                EROFS,
                                0,
                                VICTIM,
                                0,
                                "inner-original"));
        assertThat(Hostile.snapshot(ro)).isEqualTo(before);
    }

    @Test
    void descriptorsOpenedInAReadOnlyMountCannotChangeIt() throws IOException {
        Map<String, String> before = Hostile.snapshot(ro);
        String fd = "(i32.load (i32.const 48))";
        Script s = new Script().symlink("data/victim.txt", 3, "workspace/sl");
        for (String path : new String[] {"data/victim.txt", "workspace/sl"}) {
            s.read(3, path)
                    .call("(call $fd_filestat_set_size " + fd + " (i64.const 0))")
                    .call("(call $fd_allocate " + fd + " (i64.const 0) (i64.const 100000))")
                    .call(
                            "(call $fd_filestat_set_times "
                                    + fd
                                    + " (i64.const 0) (i64.const 0) (i32.const 5))");
        }
        s.openDir(3, "data")
                .call(
                        "(call $fd_filestat_set_times "
                                + fd
                                + " (i64.const 0) (i64.const 0) (i32.const 5))")
                .read(3, "data/victim.txt");
        Hostile.Result r = Hostile.runSingleRoot(s.build(), policy());
        assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
        assertThat(r.stdout())
                .isEqualTo(
                        Script.lines(
                                0, // the link
                                0, VICTIM, EROFS, EROFS, EROFS, // opened directly
                                0, VICTIM, EROFS, EROFS, EROFS, // opened through the link
                                0, EROFS, // the folder
                                0, VICTIM));
        assertThat(Hostile.snapshot(ro)).isEqualTo(before);
    }
}
