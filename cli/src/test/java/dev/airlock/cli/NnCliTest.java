package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airlock run --nn-model}: the WASI-NN example with and without the grant. */
class NnCliTest {
    static final Path DIR = Path.of("..", "examples", "wasi-nn");
    static final String GUEST = DIR.resolve("classify.wasm").toString();
    static final String MODEL = "classifier=" + DIR.resolve("classifier.onnx");

    @TempDir Path tmp;

    /** {@code airlock run} without store or cache, then {@code args}. */
    CliHarness.Result cli(String... args) {
        return CliHarness.run(List.of("run", "--no-store", "--no-cache"), args);
    }

    @Test
    void theGrantedModelClassifies() {
        CliHarness.Result r = cli("--nn-model", MODEL, GUEST);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.guestOut()).isEqualTo("predicted class: 2 (high)\n");
    }

    @Test
    void withoutTheGrantTheGuestGetsAnErrorAndExitsNonZero() {
        CliHarness.Result r = cli(GUEST);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.guestErr()).contains("load_by_name failed: error 6 (unsupported_operation)");
        CliHarness.Result other =
                cli("--nn-model", "other=" + DIR.resolve("classifier.onnx"), GUEST);
        assertThat(other.code()).isEqualTo(1);
        assertThat(other.guestErr()).contains("error 8 (not_found)");
    }

    @Test
    void theComputationQuotaApplies() {
        CliHarness.Result r = cli("--nn-model", MODEL, "--nn-max-computations", "0", GUEST);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.guestErr()).contains("compute failed: error 4 (busy)");
    }

    @Test
    void inspectSaysWhetherWasiNnIsGranted() {
        assertThat(CliHarness.run("inspect", "--no-cache", GUEST).out())
                .contains("wasi_ephemeral_nn.compute")
                .contains("denied (nn.none)");
        assertThat(CliHarness.run("inspect", "--no-cache", "--nn-model", MODEL, GUEST).out())
                .contains("allowed (nn: 1 model(s))")
                .doesNotContain("nn.none");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(cli("--nn-model", "classifier", GUEST).code()).isEqualTo(2);
        assertThat(cli("--nn-model", "x=" + tmp.resolve("missing.onnx"), GUEST).code())
                .isEqualTo(2);
        assertThat(cli("--nn-model", "bad name=" + DIR.resolve("classifier.onnx"), GUEST).code())
                .isEqualTo(2);
        assertThat(cli("--nn-max-tensor", "1KiB", GUEST).code()).isEqualTo(2);
    }
}
