package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that cannot be recorded never starts: the guest runs only once the audit store is open.
 * With a data folder that cannot hold a store (a file where the folder should be), {@code run},
 * {@code py} and {@code js} exit 70 saying so, and the guest printed nothing.
 */
class UnrecordableRunTest {
    private static void notRun(CliHarness.Result r) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(RunCommand.INTERNAL);
        assertThat(r.err()).startsWith("airlock: cannot record the run: ");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.guestOut()).isEmpty();
        assertThat(r.guestErr()).isEmpty();
    }

    @Test
    void aModuleDoesNotRun(@TempDir Path dir) throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("data"), "a file");
        notRun(CliHarness.run("run", "--data", notAFolder.toString(), "../examples/hello.wasm"));
        // the same module with a usable folder does run and print
        CliHarness.Result ok =
                CliHarness.run(
                        "run", "--data", dir.resolve("ok").toString(), "../examples/hello.wasm");
        assertThat(ok.code()).isZero();
        assertThat(ok.guestOut()).contains("Hello");
    }

    @Test
    void pythonAndJavaScriptDoNotRun(@TempDir Path dir) throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("data"), "a file");
        notRun(CliHarness.run("py", "--data", notAFolder.toString(), "-c", "print(1)"));
        notRun(CliHarness.run("js", "--data", notAFolder.toString(), "-c", "console.log(1)"));
    }
}
