package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Denial;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attempts to reach host files are recorded as denials naming the rule, even though the virtual
 * filesystem alone already keeps them out.
 */
class DeniedPathTest {
    @TempDir Path dir;

    @Test
    void pathCallsWithNothingMountedAreDeniedAsFsNone() {
        Hostile.Result r =
                Hostile.run(new Script().read(3, "etc/passwd").build(), Policy.defaults());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.outcome().denials())
                .containsExactly(
                        new Denial(
                                "wasi_snapshot_preview1.path_open",
                                "fs.none",
                                "no filesystem is granted"));
    }

    @Test
    void absoluteAndClimbingPathsAreDeniedAsOutsideMount() {
        Hostile.Result r =
                Hostile.run(
                        new Script()
                                .read(3, "/etc/passwd")
                                .read(3, "../../etc/passwd")
                                .read(3, "a/../../etc")
                                .read(3, "a/../b")
                                .build(),
                        Policy.builder()
                                .mount(new Mount(dir, "/data", Mount.Mode.READ_ONLY))
                                .build());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.outcome().denials())
                .extracting(Denial::rule)
                .containsExactly("fs.outside-mount", "fs.outside-mount", "fs.outside-mount");
        assertThat(r.stdout()).doesNotContain("root:");
    }
}
