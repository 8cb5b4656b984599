package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real public model through {@code airlock compile --secure}: Silero VAD v5 as the npm package
 * {@code @ricky0123/vad-web} ships it ({@code src/test/resources/models/silero-vad}, with its
 * licence and provenance). It compiles with its symbolic shapes and scalar input, and two calls of
 * the skill, the second fed the first's state as an app streaming audio does, give exactly the
 * floats ONNX Runtime gives when called directly.
 */
class CompilePublicModelTest {
    static final Path MODEL =
            Path.of("src/test/resources/models/silero-vad/silero_vad_v5.onnx").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    String data() {
        return "--data=" + tmp.resolve("data");
    }

    /** 512 samples of a 440 Hz tone at 16 kHz, starting at sample {@code from}. */
    static float[] chunk(int from) {
        float[] x = new float[512];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * (from + i) / 16000.0));
        }
        return x;
    }

    /** ONNX Runtime called directly: {@code output} and {@code stateN}. */
    static Map<String, float[]> direct(byte[] model, float[] x, float[] state) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor in =
                        OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 512});
                OnnxTensor st =
                        OnnxTensor.createTensor(
                                env, FloatBuffer.wrap(state), new long[] {2, 1, 128});
                OnnxTensor sr =
                        OnnxTensor.createTensor(
                                env, LongBuffer.wrap(new long[] {16000}), new long[0]);
                OrtSession.Result r = s.run(Map.of("input", in, "state", st, "sr", sr))) {
            Map<String, float[]> out = new HashMap<>();
            for (Map.Entry<String, OnnxValue> e : r) {
                FloatBuffer f = ((OnnxTensor) e.getValue()).getFloatBuffer();
                float[] v = new float[f.remaining()];
                f.get(v);
                out.put(e.getKey(), v);
            }
            return out;
        }
    }

    /** The skill's tool input: the chunk and the state as nested arrays, the rate as a number. */
    static String input(float[] x, float[] state) {
        ObjectNode in = JSON.createObjectNode();
        ArrayNode row = in.putArray("input").addArray();
        for (float v : x) {
            row.add(v);
        }
        ArrayNode st = in.putArray("state");
        for (int layer = 0; layer < 2; layer++) {
            ArrayNode h = st.addArray().addArray();
            for (int i = 0; i < 128; i++) {
                h.add(state[layer * 128 + i]);
            }
        }
        in.put("sr", 16000);
        return in.toString();
    }

    @Test
    void sileroVadCompilesAndStreamsAsOnnxRuntimeDoes() throws Exception {
        CliHarness.ok("skill", "keys", "create", "acme", "--trust", data());
        Path skill = tmp.resolve("vad.skill");
        CliHarness.Result c =
                CliHarness.ok(
                        "compile",
                        MODEL.toString(),
                        "--secure",
                        "--name",
                        "vad",
                        "--key",
                        "acme",
                        "-o",
                        skill.toString(),
                        data());
        assertThat(c.out())
                .contains("IR version 8, operator sets ai.onnx 16, no external data")
                .contains("689 nodes of 25 types")
                .contains("LSTM 4")
                .contains("inputs: input float32 [?, ?]; state float32 [2, ?, 128]; sr int64 []")
                .contains("grant: nn vad");
        CliHarness.ok("skill", "install", skill.toString(), data());

        byte[] model = Files.readAllBytes(MODEL);
        float[] state = new float[2 * 128];
        for (int call = 0; call < 2; call++) {
            float[] x = chunk(call * 512);
            CliHarness.Result run =
                    CliHarness.ok(
                            "skill",
                            "run",
                            "vad",
                            "predict",
                            "--input",
                            input(x, state),
                            "--no-store",
                            data());
            JsonNode got = JSON.readTree(run.guestOut());
            Map<String, float[]> want = direct(model, x, state);
            assertThat(CompileCliTest.floats(got.get("output"))).isEqualTo(want.get("output"));
            assertThat(CompileCliTest.floats(got.get("stateN"))).isEqualTo(want.get("stateN"));
            state = want.get("stateN"); // the next chunk continues from this state
        }
    }
}
