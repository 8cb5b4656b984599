package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Stdio;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airlock run --nn-model}: the WASI-NN example with and without the grant. */
class NnCliTest {
    static final Path DIR = Path.of("..", "examples", "wasi-nn");
    static final String GUEST = DIR.resolve("classify.wasm").toString();
    static final String MODEL = "classifier=" + DIR.resolve("classifier.onnx");

    @TempDir Path tmp;

    record Result(int code, String err, String guestOut, String guestErr) {}

    Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream gOut = new ByteArrayOutputStream();
        ByteArrayOutputStream gErr = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("run", "--no-store", "--no-cache"));
        all.addAll(List.of(args));
        int code =
                Main.commandLine(new PrintWriter(out), new PrintWriter(err), Stdio.of(gOut, gErr))
                        .execute(all.toArray(new String[0]));
        return new Result(
                code,
                err.toString(),
                gOut.toString(StandardCharsets.UTF_8),
                gErr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theGrantedModelClassifies() {
        Result r = cli("--nn-model", MODEL, GUEST);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.guestOut()).isEqualTo("predicted class: 2 (high)\n");
    }

    @Test
    void withoutTheGrantTheGuestGetsAnErrorAndExitsNonZero() {
        Result r = cli(GUEST);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.guestErr()).contains("load_by_name failed: error 6 (unsupported_operation)");
        Result other = cli("--nn-model", "other=" + DIR.resolve("classifier.onnx"), GUEST);
        assertThat(other.code()).isEqualTo(1);
        assertThat(other.guestErr()).contains("error 8 (not_found)");
    }

    @Test
    void theComputationQuotaApplies() {
        Result r = cli("--nn-model", MODEL, "--nn-max-computations", "0", GUEST);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.guestErr()).contains("compute failed: error 4 (busy)");
    }

    @Test
    void inspectSaysWhetherWasiNnIsGranted() {
        StringWriter out = new StringWriter();
        Main.commandLine(new PrintWriter(out), new PrintWriter(new StringWriter()), Stdio.discard())
                .execute("inspect", "--no-cache", GUEST);
        assertThat(out.toString())
                .contains("wasi_ephemeral_nn.compute")
                .contains("denied (nn.none)");
        StringWriter granted = new StringWriter();
        Main.commandLine(
                        new PrintWriter(granted),
                        new PrintWriter(new StringWriter()),
                        Stdio.discard())
                .execute("inspect", "--no-cache", "--nn-model", MODEL, GUEST);
        assertThat(granted.toString())
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
