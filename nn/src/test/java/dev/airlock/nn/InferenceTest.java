package dev.airlock.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.airlock.core.Status;
import dev.airlock.core.event.Decision;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.nn.onnx.Models;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * End to end through a guest: the outputs it receives from {@code get_output} are byte for byte
 * what ONNX Runtime gives when called directly from Java on the same model and inputs.
 */
class InferenceTest {
    /**
     * A guest that loads model {@code m}, sets input 0 to {@code input} with {@code dims},
     * computes, and writes outputs 0..{@code outputs}-1 to stdout, one after the other.
     */
    static byte[] guest(long[] dims, int type, byte[] input, int outputs) {
        int inputAt = 0x10000;
        int outAt = inputAt + ((input.length + 0xFFFF) & ~0xFFFF);
        int pages = outAt / 0x10000 + 4;
        StringBuilder gets = new StringBuilder();
        for (int i = 0; i < outputs; i++) {
            gets.append(
                    String.format(
                            """
                            (call $ok (i32.const 5) (call $get_output (i32.load (i32.const 0x104))
                              (i32.const %d) (i32.const %d) (i32.const 0x30000) (i32.const 0x108)))
                            (call $out (i32.const %d) (i32.load (i32.const 0x108)))
                            """,
                            i, outAt, outAt));
        }
        return NnGuests.module(
                pages,
                String.format(
                        """
                        (data (i32.const 64) "m")
                        (data (i32.const 0x300) %s)
                        (data (i32.const 0x200) %s)
                        (data (i32.const %d) %s)
                        (func (export "_start")
                          (call $ok (i32.const 1)
                            (call $load_by_name (i32.const 64) (i32.const 1) (i32.const 0x100)))
                          (call $ok (i32.const 2)
                            (call $init (i32.load (i32.const 0x100)) (i32.const 0x104)))
                          (call $ok (i32.const 3) (call $set_input (i32.load (i32.const 0x104))
                            (i32.const 0) (i32.const 0x200)))
                          (call $ok (i32.const 4) (call $compute (i32.load (i32.const 0x104))))
                          %s)
                        """,
                        NnGuests.data(NnGuests.u32s(dims)),
                        NnGuests.data(
                                NnGuests.u32s(0x300, dims.length, type, inputAt, input.length)),
                        inputAt,
                        NnGuests.data(input),
                        gets));
    }

    static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    /** The outputs of ONNX Runtime called directly, concatenated. */
    static byte[] direct(Path model, long[] dims, float[] input) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(model.toString(), new OrtSession.SessionOptions());
                OnnxTensor x =
                        OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(input), dims)) {
            String name = s.getInputNames().iterator().next();
            try (OrtSession.Result r = s.run(Map.of(name, x))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (Map.Entry<String, OnnxValue> e : r) {
                    ByteBuffer bb = ((OnnxTensor) e.getValue()).getByteBuffer();
                    byte[] b = new byte[bb.remaining()];
                    bb.get(b);
                    out.writeBytes(b);
                }
                return out.toByteArray();
            }
        }
    }

    @Test
    void theClassifierGivesTheGuestWhatOnnxRuntimeGivesJava() throws Exception {
        Path model = NnGuests.classifier();
        SplittableRandom r = new SplittableRandom(7);
        long[] dims = {1, 4};
        for (int trial = 0; trial < 5; trial++) {
            float[] x = new float[4];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextDouble() * 4 - 2);
            }
            NnGuests.Run run =
                    NnGuests.run(
                            guest(dims, TensorType.F32.code(), floats(x), 2),
                            NnGuests.classifierGrant().build());
            assertThat(run.outcome().status())
                    .as(run.outcome().message() + run.calls())
                    .isEqualTo(Status.OK);
            byte[] expected = direct(model, dims, x);
            assertThat(expected).hasSize(3 * 4 + 8);
            assertThat(run.stdout()).isEqualTo(expected);
            // and the class is the arg max of the scores computed here by hand
            float[] scores = new float[3];
            int best = 0;
            for (int c = 0; c < 3; c++) {
                scores[c] = Models.CLASSIFIER_BIAS[c];
                for (int f = 0; f < 4; f++) {
                    scores[c] += x[f] * Models.CLASSIFIER_WEIGHTS[f * 3 + c];
                }
                if (scores[c] > scores[best]) {
                    best = c;
                }
            }
            assertThat(
                            ByteBuffer.wrap(run.stdout(), 12, 8)
                                    .order(ByteOrder.LITTLE_ENDIAN)
                                    .getLong())
                    .isEqualTo(best);
        }
    }

    @Test
    void aSecondSetInputOfTheSameShapeReplacesTheFirst() throws Exception {
        // set_input twice (the buffer of the first is reused), compute, then set_input again
        // with other data and compute again: each output matches its own input
        float[] a = {1f, -2f, 0.5f, 3f};
        float[] b = {-1f, 2f, 4f, -0.25f};
        String tensorA = Misuse.tensor(0x300, 2, 1, 0x1000, 16);
        String tensorB = Misuse.tensor(0x300, 2, 1, 0x1100, 16);
        String get =
                "(call $ok (i32.const 5) (call $get_output (i32.load (i32.const 0x104)) (i32.const 0)"
                        + " (i32.const 0x2000) (i32.const 64) (i32.const 0x108)))"
                        + " (call $out (i32.const 0x2000) (i32.load (i32.const 0x108)))";
        String body =
                "(data (i32.const 0x1000) "
                        + NnGuests.data(floats(b))
                        + ")(data (i32.const 0x1100) "
                        + NnGuests.data(floats(a))
                        + ")"
                        + Misuse.DATA
                        + "(func (export \"_start\")"
                        + Misuse.SETUP
                        + tensorA
                        + "(call $ok (i32.const 3) "
                        + Misuse.SET
                        + ")"
                        + tensorB
                        + "(call $ok (i32.const 3) "
                        + Misuse.SET
                        + ")"
                        + "(call $ok (i32.const 4) "
                        + Misuse.COMPUTE
                        + ")"
                        + get
                        + tensorA
                        + "(call $ok (i32.const 3) "
                        + Misuse.SET
                        + ")"
                        + "(call $ok (i32.const 4) "
                        + Misuse.COMPUTE
                        + ")"
                        + get
                        + ")";
        NnGuests.Run run = NnGuests.run(NnGuests.module(body), NnGuests.classifierGrant().build());
        assertThat(run.outcome().status()).as(run.outcome().message()).isEqualTo(Status.OK);
        Path model = NnGuests.classifier();
        long[] dims = {1, 4};
        byte[] first = java.util.Arrays.copyOf(direct(model, dims, a), 12);
        byte[] second = java.util.Arrays.copyOf(direct(model, dims, b), 12);
        assertThat(first).isNotEqualTo(second);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(first);
        expected.writeBytes(second);
        assertThat(run.stdout()).isEqualTo(expected.toByteArray());
    }

    @Test
    void aLargerModelAcrossSeveralPagesMatchesToo() throws Exception {
        int n = 16;
        int k = 300;
        int m = 50;
        Path model = NnGuests.model("matmul-test", Models.matmul(n, k, m, 3));
        SplittableRandom r = new SplittableRandom(11);
        float[] x = new float[n * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        long[] dims = {n, k};
        NnGuests.Run run =
                NnGuests.run(
                        guest(dims, TensorType.F32.code(), floats(x), 1),
                        NnGrant.builder().model("m", model).build());
        assertThat(run.outcome().status()).as(run.outcome().message()).isEqualTo(Status.OK);
        assertThat(run.stdout()).hasSize(n * m * 4).isEqualTo(direct(model, dims, x));
    }

    @Test
    void everyCallIsMediatedAndAuditedWithModelAndShapes() {
        float[] x = {0.2f, 0.4f, 0.9f, 1.0f};
        NnGuests.Run run =
                NnGuests.run(
                        guest(new long[] {1, 4}, TensorType.F32.code(), floats(x), 2),
                        NnGuests.classifierGrant().build());
        assertThat(run.outcome().status()).isEqualTo(Status.OK);
        List<String> order =
                run.calls().stream()
                        .map(HostCallEvent::call)
                        .filter(c -> c.startsWith(WasiNn.MODULE))
                        .toList();
        assertThat(order)
                .containsExactly(
                        "wasi_ephemeral_nn.load_by_name",
                        "wasi_ephemeral_nn.init_execution_context",
                        "wasi_ephemeral_nn.set_input",
                        "wasi_ephemeral_nn.compute",
                        "wasi_ephemeral_nn.get_output",
                        "wasi_ephemeral_nn.get_output");
        assertThat(run.calls()).allMatch(e -> e.decision() == Decision.ALLOW);
        assertThat(run.nn("load_by_name").get(0).args()).containsEntry("model", "m");
        HostCallEvent set = run.nn("set_input").get(0);
        assertThat(set.args())
                .containsEntry("model", "m")
                .containsEntry("type", "f32")
                .containsEntry("shape", List.of(1L, 4L))
                .containsEntry("bytes", 16L);
        HostCallEvent compute = run.nn("compute").get(0);
        assertThat(compute.args()).containsEntry("outputs", List.of(List.of(1L, 3L), List.of(1L)));
        assertThat(compute.durationNanos()).isPositive();
        assertThat(run.nn("get_output").get(1).args())
                .containsEntry("type", "i64")
                .containsEntry("bytes", 8);
        // the class of this input is 2: the last 8 bytes
        assertThat(ByteBuffer.wrap(run.stdout(), 12, 8).order(ByteOrder.LITTLE_ENDIAN).getLong())
                .isEqualTo(2);
        assertThat(run.outcome().usage().hostCalls()).isEqualTo(run.calls().size());
    }
}
