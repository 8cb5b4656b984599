package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest reads stdin until it ends. Stdin streamed from an endless device is served as the guest
 * reads it, never loaded whole, and ends at the policy's cap; a stdin file that cannot be opened
 * fails the guest's read with {@code EIO} instead of the run.
 */
class StdinTest {
    /** Reads stdin 64 KiB at a time until it ends; prints the last errno and the bytes read. */
    private static final byte[] READ_ALL =
            Hostile.guest(
                    """
                    (func (export "_start") (local $total i64) (local $e i32)
                      ;; the buffer is the second page
                      (drop (memory.grow (i32.const 1)))
                      (i32.store (i32.const 36) (i32.const 65536))
                      (block $done
                        (loop $more
                          (i32.store (i32.const 32) (i32.const 65536))
                          (local.set $e (call $fd_read (i32.const 0) (i32.const 32) (i32.const 1)
                                                       (i32.const 40)))
                          (br_if $done (local.get $e))
                          (br_if $done (i32.eqz (i32.load (i32.const 40))))
                          (local.set $total (i64.add (local.get $total)
                                                     (i64.extend_i32_u (i32.load (i32.const 40)))))
                          (br $more)))
                      (call $say (local.get $e))
                      (call $say64 (local.get $total)))
                    """);

    @Test
    void anEndlessDeviceIsStreamedUpToTheCap() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.isReadable(zero), "needs /dev/zero");
        Hostile.Result r = Hostile.run(READ_ALL, Policy.builder().stdin(zero, 3L << 20).build());
        assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
        assertThat(r.stdout()).isEqualTo(Script.lines(0, 3L << 20));
    }

    @Test
    void aFileIsServedWholeAndEachRunReadsItAgain(@TempDir Path dir) throws IOException {
        Path in = Files.writeString(dir.resolve("in.txt"), "x".repeat(100_000));
        Policy p = Policy.builder().stdin(in).build();
        assertThat(Hostile.run(READ_ALL, p).stdout()).isEqualTo(Script.lines(0, 100_000));
        assertThat(Hostile.run(READ_ALL, p).stdout()).isEqualTo(Script.lines(0, 100_000));
        assertThat(Hostile.run(READ_ALL, Policy.builder().stdin(in, 10).build()).stdout())
                .isEqualTo(Script.lines(0, 10));
    }

    @Test
    void aFileThatCannotBeOpenedFailsTheReadWithEio(@TempDir Path dir) {
        Hostile.Result r =
                Hostile.run(READ_ALL, Policy.builder().stdin(dir.resolve("missing")).build());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout()).isEqualTo(Script.lines(29, 0));
        assertThat(r.stdout() + r.outcome().message()).doesNotContain("java.");
    }

    @Test
    void aNegativeCapIsRejected() {
        assertThatThrownBy(() -> Policy.builder().stdin(Path.of("x"), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }
}
