package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.RunRecord;
import dev.airlock.audit.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code airlock run} as a process, through {@link Main#main}: with the warm-up thread making the
 * store's first uses while the main thread parses the command line and opens the same store, each
 * run prints, exits and is recorded as without it.
 */
class WarmUpProcessTest {
    @TempDir Path tmp;

    private String run(String... javaOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(javaOptions));
        command.addAll(
                List.of(
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.airlock.cli.Main",
                        "run",
                        "--no-cache",
                        "--cache-dir",
                        tmp.resolve("cache").toString(),
                        "--data",
                        tmp.resolve("data").toString(),
                        "../examples/hello.wasm",
                        "warm"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void runsWithAndWithoutTheWarmUpPrintAndAreRecordedAlike() throws Exception {
        assertThat(run()).contains("Hello from inside Airlock!").contains("warm");
        assertThat(run()).contains("Hello from inside Airlock!");
        assertThat(run("-Dairlock.warmup=false")).contains("Hello from inside Airlock!");
        try (Store store = Store.open(tmp.resolve("data"))) {
            List<RunRecord> runs = store.runs(10);
            assertThat(runs).hasSize(3);
            assertThat(runs)
                    .allSatisfy(r -> assertThat(r.status()).isEqualTo(dev.airlock.core.Status.OK));
            assertThat(store.verifyAll(AuditKeys.loadPublic(tmp.resolve("data"))).intact())
                    .isTrue();
        }
    }
}
