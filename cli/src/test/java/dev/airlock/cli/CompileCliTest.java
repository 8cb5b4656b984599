package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.nn.onnx.Models;
import dev.airlock.nn.onnx.OnnxModel;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code airlock compile}: models made by the project become signed skills whose outputs equal ONNX
 * Runtime's called directly; bad models are refused with one line and exit 1.
 */
class CompileCliTest {
    @TempDir Path tmp;

    String data() {
        return "--data=" + tmp.resolve("data");
    }

    Path write(String name, byte[] bytes) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** A softmax classifier over a batch of any size: x float [N, 4] -> probs float [N, 3]. */
    static byte[] softmax() {
        return new OnnxModel("airlock-softmax")
                .initializer("W", new long[] {4, 3}, Models.CLASSIFIER_WEIGHTS)
                .initializer("b", new long[] {3}, Models.CLASSIFIER_BIAS)
                .input("x", OnnxModel.FLOAT, -1, 4)
                .node("MatMul", List.of("x", "W"), List.of("h"))
                .node("Add", List.of("h", "b"), List.of("logits"))
                .node("Softmax", List.of("logits"), List.of("probs"), "axis", 1)
                .output("probs", OnnxModel.FLOAT, -1, 3)
                .toByteArray();
    }

    /** ONNX Runtime called directly: each output's values as floats or longs. */
    static Map<String, Object> direct(byte[] model, String input, float[] data, long[] shape)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
                OrtSession.Result r = s.run(Map.of(input, t))) {
            Map<String, Object> out = new java.util.HashMap<>();
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                OnnxTensor o = (OnnxTensor) e.getValue();
                if (o.getInfo().type == ai.onnxruntime.OnnxJavaType.FLOAT) {
                    FloatBuffer f = o.getFloatBuffer();
                    float[] v = new float[f.remaining()];
                    f.get(v);
                    out.put(e.getKey(), v);
                } else {
                    java.nio.LongBuffer l = o.getLongBuffer();
                    long[] v = new long[l.remaining()];
                    l.get(v);
                    out.put(e.getKey(), v);
                }
            }
            return out;
        }
    }

    static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = Float.parseFloat(a.get(i).asText());
        }
        return f;
    }

    @Test
    void classifierCompilesSignsInstallsAndMatchesOnnxRuntime() throws Exception {
        CliHarness.ok("skill", "keys", "create", "acme", "--trust", data());
        Path model = write("classifier.onnx", Models.classifier());
        Path labels = write("labels.txt", "low\nmedium\nhigh\n".getBytes(StandardCharsets.UTF_8));
        Path skill = tmp.resolve("classifier.skill");
        CliHarness.Result c =
                CliHarness.ok(
                        "compile",
                        model.toString(),
                        "--secure",
                        "--key",
                        "acme",
                        "--labels",
                        labels.toString(),
                        "-o",
                        skill.toString(),
                        data());
        assertThat(c.out())
                .contains("operators: 3 nodes of 3 types (Add 1, ArgMax 1, MatMul 1)")
                .contains("inputs: features float32 [1, 4]")
                .contains("outputs: scores float32 [1, 3]; class int64 [1]")
                .contains("grant: nn classifier")
                .contains("signed by acme");
        CliHarness.ok("skill", "install", skill.toString(), data());
        CliHarness.Result show = CliHarness.ok("skill", "show", "classifier", data());
        assertThat(show.out()).contains("declares     nn classifier").contains("nn limits");

        float[] x = {0.2f, 0.4f, 0.9f, 1.0f};
        CliHarness.Result run =
                CliHarness.ok(
                        "skill",
                        "run",
                        "classifier",
                        "predict",
                        "--input",
                        "{\"features\": [[0.2, 0.4, 0.9, 1.0]]}",
                        "--no-store",
                        data());
        JsonNode got = new ObjectMapper().readTree(run.guestOut());
        Map<String, Object> want = direct(Models.classifier(), "features", x, new long[] {1, 4});
        assertThat(floats(got.get("scores"))).isEqualTo((float[]) want.get("scores"));
        assertThat(got.get("class").get(0).asLong()).isEqualTo(((long[]) want.get("class"))[0]);
        int best = (int) ((long[]) want.get("class"))[0];
        assertThat(got.get("top").get(0).get("label").asText())
                .isEqualTo(List.of("low", "medium", "high").get(best));

        // input of the wrong shape: refused by the schema or by WASI-NN, never a crash
        CliHarness.Result bad =
                CliHarness.run(
                        "skill",
                        "run",
                        "classifier",
                        "predict",
                        "--input",
                        "{\"features\": [[1, 2]]}",
                        "--no-store",
                        data());
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err() + bad.guestErr()).contains("set_input failed: invalid_argument");
    }

    @Test
    void dynamicBatchWithNormalisationMatchesOnnxRuntime() throws Exception {
        CliHarness.ok("skill", "keys", "create", "acme", "--trust", data());
        Path model = write("soft-max.onnx", softmax());
        Path skill = tmp.resolve("s.skill");
        CliHarness.Result c =
                CliHarness.ok(
                        "compile",
                        model.toString(),
                        "--secure",
                        "--key",
                        "acme",
                        "--normalize",
                        "0.5,2",
                        "-o",
                        skill.toString(),
                        data());
        assertThat(c.out()).contains("inputs: x float32 [N, 4]").contains("Softmax 1");
        CliHarness.ok("skill", "install", skill.toString(), data());
        String manifest = CliHarness.ok("skill", "show", "soft-max", data()).out();
        assertThat(manifest).contains("nn soft-max");
        float[][] rows = {{0.1f, -2.5f, 3.75f, 1e-3f}, {12.5f, 0.0f, -0.3333f, 7.0f}};
        CliHarness.Result run =
                CliHarness.ok(
                        "skill",
                        "run",
                        "soft-max",
                        "predict",
                        "--input",
                        "{\"x\": [[0.1, -2.5, 3.75, 1e-3], [12.5, 0, -0.3333, 7]]}",
                        "--no-store",
                        data());
        float[] flat = new float[8];
        for (int i = 0; i < 8; i++) {
            flat[i] = (rows[i / 4][i % 4] - 0.5f) / 2f;
        }
        float[] want = (float[]) direct(softmax(), "x", flat, new long[] {2, 4}).get("probs");
        float[] got = floats(new ObjectMapper().readTree(run.guestOut()).get("probs"));
        assertThat(got).isEqualTo(want);
        assertThat(Arrays.toString(got)).isNotEqualTo(Arrays.toString(new float[6]));

        CliHarness.Result ragged =
                CliHarness.run(
                        "skill",
                        "run",
                        "soft-max",
                        "predict",
                        "--input",
                        "{\"x\": [[1, 2, 3, 4], [1, 2]]}",
                        "--no-store",
                        data());
        assertThat(ragged.code()).isEqualTo(1);
        assertThat(ragged.guestErr() + ragged.err())
                .contains("arrays of unequal length in input x");
    }

    @Test
    void integerInputsAreReadExactly() throws Exception {
        byte[] cast =
                new OnnxModel("airlock-cast")
                        .input("n", OnnxModel.INT64, -1)
                        .node("Cast", List.of("n"), List.of("y"), "to", 1)
                        .output("y", OnnxModel.FLOAT, -1)
                        .toByteArray();
        CliHarness.ok("skill", "keys", "create", "acme", "--trust", data());
        Path skill = tmp.resolve("cast.skill");
        CliHarness.ok(
                "compile",
                write("cast.onnx", cast).toString(),
                "--secure",
                "--key",
                "acme",
                "-o",
                skill.toString(),
                data());
        CliHarness.ok("skill", "install", skill.toString(), data());
        CliHarness.Result run =
                CliHarness.ok(
                        "skill",
                        "run",
                        "cast",
                        "predict",
                        "--input",
                        "{\"n\": [3, -7, 1000000000000, 16777217]}",
                        "--no-store",
                        data());
        assertThat(floats(new ObjectMapper().readTree(run.guestOut()).get("y")))
                .containsExactly(3f, -7f, 1e12f, (float) 16777217L);
        CliHarness.Result fraction =
                CliHarness.run(
                        "skill",
                        "run",
                        "cast",
                        "predict",
                        "--input",
                        "{\"n\": [1.5]}",
                        "--no-store",
                        data());
        assertThat(fraction.code()).isNotZero();
    }

    /** Exit 1, exactly one line on stderr naming the problem, no Java in it. */
    void refused(CliHarness.Result r, String expected) {
        CliHarness.refused(r, 1, "compile: ");
        assertThat(r.err()).contains(expected);
    }

    @Test
    void badModelsAreRefusedWithOneLine() throws Exception {
        byte[] external =
                new OnnxModel("ext")
                        .externalInitializer("W", new long[] {4, 3}, "weights.bin")
                        .input("x", OnnxModel.FLOAT, 1, 4)
                        .node("MatMul", List.of("x", "W"), List.of("y"))
                        .output("y", OnnxModel.FLOAT, 1, 3)
                        .toByteArray();
        Files.write(tmp.resolve("weights.bin"), new byte[48]);
        refused(
                CliHarness.run("compile", write("ext.onnx", external).toString(), "--secure"),
                "tensor data in an external file");

        byte[] custom =
                new OnnxModel("custom")
                        .opset("com.example.ops", 1)
                        .input("x", OnnxModel.FLOAT, 1, 4)
                        .node("com.example.ops", "Frobnicate", List.of("x"), List.of("y"))
                        .output("y", OnnxModel.FLOAT, 1, 4)
                        .toByteArray();
        Path customFile = write("custom.onnx", custom);
        refused(
                CliHarness.run("compile", customFile.toString(), "--secure"),
                "custom operator domain 'com.example.ops'");
        // allowed, it passes the check, but this ONNX Runtime has no such operator
        refused(
                CliHarness.run(
                        "compile",
                        customFile.toString(),
                        "--secure",
                        "--allow-domain",
                        "com.example.ops"),
                "ONNX Runtime cannot load the model");

        byte[] tooNew =
                new OnnxModel("new")
                        .opset("", 99)
                        .input("x", OnnxModel.FLOAT, 1, 4)
                        .node("Relu", List.of("x"), List.of("y"))
                        .output("y", OnnxModel.FLOAT, 1, 4)
                        .toByteArray();
        refused(
                CliHarness.run("compile", write("new.onnx", tooNew).toString(), "--secure"),
                "operator set ai.onnx 99 is newer");

        refused(
                CliHarness.run(
                        "compile",
                        write("notes.onnx", "hello, not a model\n".getBytes(StandardCharsets.UTF_8))
                                .toString(),
                        "--secure"),
                "not");
        byte[] whole = Models.classifier();
        refused(
                CliHarness.run(
                        "compile",
                        write("cut.onnx", Arrays.copyOf(whole, whole.length / 2)).toString(),
                        "--secure"),
                "malformed protobuf");
        refused(
                CliHarness.run("compile", write("empty.onnx", new byte[0]).toString(), "--secure"),
                "empty");

        CliHarness.Result missing =
                CliHarness.run("compile", tmp.resolve("nope.onnx").toString(), "--secure");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file").doesNotContain("Exception");
        CliHarness.Result norm =
                CliHarness.run(
                        "compile",
                        write("m.onnx", whole).toString(),
                        "--secure",
                        "--normalize",
                        "1,0");
        assertThat(norm.code()).isEqualTo(2);
        assertThat(norm.err()).contains("--normalize expects MEAN,STD");
        assertThat(Files.list(tmp).filter(p -> p.toString().endsWith(".skill")).count()).isZero();
    }
}
