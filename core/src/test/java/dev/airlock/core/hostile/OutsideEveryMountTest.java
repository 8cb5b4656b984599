package dev.airlock.core.hostile;

import static dev.airlock.core.hostile.Hostile.ENOENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Denial;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.event.Decision;
import dev.airlock.core.event.HostCallEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In the interpreters' single filesystem a guest reaches for host paths that no mount holds ({@code
 * /etc/passwd}, {@code /root/.ssh/id_rsa}, {@code /proc/self}). They fail with {@code ENOENT}, as
 * before, and each attempt is now a denial of rule {@code fs.outside-mount} in the trail; a file
 * merely missing inside a mount, or a new top-level folder, is no denial.
 */
class OutsideEveryMountTest {
    private static final String DETAIL = "no mount holds the path";

    @TempDir Path work;

    @Test
    void pathsOutsideEveryMountFailAsEnoentAndAreRecorded() throws IOException {
        Files.writeString(work.resolve("a.txt"), "a");
        Hostile.Result r =
                Hostile.runSingleRoot(
                        new Script()
                                .read(3, "etc/passwd")
                                .read(3, "root/.ssh/id_rsa")
                                .read(3, "work/../etc/shadow")
                                .write(3, "home/user/.bashrc", "x")
                                .readlink(3, "proc/self")
                                .unlink(3, "etc/hosts")
                                // not attempts on the host: a miss inside a mount, a new folder
                                .read(3, "work/missing.txt")
                                .mkdir(3, "scratch")
                                .write(3, "scratch/s.txt", "s")
                                .read(3, "work/a.txt")
                                .build(),
                        Policy.builder()
                                .mount(new Mount(work, "/work", Mount.Mode.READ_WRITE))
                                .build());
        assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
        assertThat(r.stdout())
                .isEqualTo(
                        Script.lines(
                                ENOENT, ENOENT, ENOENT, ENOENT, ENOENT, ENOENT, ENOENT, 0, 0, 0, 0,
                                0, "a"));
        String open = "wasi_snapshot_preview1.path_open";
        assertThat(r.outcome().denials())
                .containsExactly(
                        new Denial(open, "fs.outside-mount", DETAIL),
                        new Denial(open, "fs.outside-mount", DETAIL),
                        new Denial(open, "fs.outside-mount", DETAIL),
                        new Denial(open, "fs.outside-mount", DETAIL),
                        new Denial(
                                "wasi_snapshot_preview1.path_readlink", "fs.outside-mount", DETAIL),
                        new Denial(
                                "wasi_snapshot_preview1.path_unlink_file",
                                "fs.outside-mount",
                                DETAIL));
        List<HostCallEvent> denied =
                r.hostCalls().stream().filter(e -> e.decision() == Decision.DENY).toList();
        assertThat(denied).hasSize(6).allMatch(e -> e.result() == ENOENT);
        assertThat(denied.get(0).args()).containsEntry("path", "etc/passwd");
    }
}
