package dev.airlock.nn;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.core.GuestModule;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.nn.onnx.Models;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * examples/wasi-nn: the checked-in guest and model are what their sources make (rebuild them with
 * {@code examples/wasi-nn/rebuild}), and the guest prints the class ONNX Runtime computes, or an
 * error and a non-zero exit without the grant.
 */
class ExampleTest {
    static final Path DIR = Path.of("..", "examples", "wasi-nn");

    @Test
    void checkedInFilesMatchTheirSources() throws Exception {
        byte[] wasm = Wat2Wasm.parse(Files.readString(DIR.resolve("classify.wat")));
        byte[] onnx = Models.classifier();
        if (Boolean.getBoolean("airlock.rebuildExamples")) {
            Files.write(DIR.resolve("classify.wasm"), wasm);
            Files.write(DIR.resolve("classifier.onnx"), onnx);
        }
        assertThat(Files.readAllBytes(DIR.resolve("classify.wasm")))
                .as("classify.wasm is out of date: run examples/wasi-nn/rebuild")
                .isEqualTo(wasm);
        assertThat(Files.readAllBytes(DIR.resolve("classifier.onnx")))
                .as("classifier.onnx is out of date: run examples/wasi-nn/rebuild")
                .isEqualTo(onnx);
    }

    private static String[] run(NnGrant grant) throws Exception {
        GuestModule m = NnGuests.AIRLOCK.load(DIR.resolve("classify.wasm"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Outcome o =
                NnGuests.AIRLOCK.run(
                        m, WasiNn.grant(Policy.builder(), grant).build(), Stdio.of(out, err));
        return new String[] {
            o.status() == Status.OK ? "0" : String.valueOf(o.exitCode()),
            out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8)
        };
    }

    @Test
    void printsTheClassOnnxRuntimeComputes() throws Exception {
        float[] x = {0.2f, 0.4f, 0.9f, 1.0f};
        byte[] direct = InferenceTest.direct(DIR.resolve("classifier.onnx"), new long[] {1, 4}, x);
        long expected =
                java.nio.ByteBuffer.wrap(direct, 12, 8)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .getLong();
        String[] labels = {"low", "medium", "high"};
        String[] r =
                run(NnGrant.builder().model("classifier", DIR.resolve("classifier.onnx")).build());
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1])
                .isEqualTo("predicted class: " + expected + " (" + labels[(int) expected] + ")\n");
    }

    @Test
    void withoutTheGrantItPrintsTheErrorAndExitsNonZero() throws Exception {
        String[] r = run(NnGrant.none());
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1]).isEmpty();
        assertThat(r[2])
                .isEqualTo("wasi-nn load_by_name failed: error 6 (unsupported_operation)\n");
        String[] other =
                run(NnGrant.builder().model("other", DIR.resolve("classifier.onnx")).build());
        assertThat(other[2]).isEqualTo("wasi-nn load_by_name failed: error 8 (not_found)\n");
    }
}
