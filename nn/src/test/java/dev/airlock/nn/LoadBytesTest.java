package dev.airlock.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.nn.onnx.Models;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code load} of model bytes from the guest: a separate grant with a size cap; only self-contained
 * ONNX models, never one that would make ONNX Runtime read a host file.
 */
class LoadBytesTest {
    /** A guest with {@code model} at 0x1000 and its builder at 0x500; exits with load's result. */
    private static byte[] loader(byte[] model, int builders, int encoding, int target) {
        String body =
                String.format(
                        """
                        (data (i32.const 0x1000) %s)
                        (data (i32.const 0x500) %s)
                        (func (export "_start")
                          (call $exit (call $load (i32.const 0x500) (i32.const %d)
                            (i32.const %d) (i32.const %d) (i32.const 0x100))))
                        """,
                        NnGuests.data(model),
                        NnGuests.data(NnGuests.u32s(0x1000, model.length, 0x1000, model.length)),
                        builders,
                        encoding,
                        target);
        return NnGuests.module(2, body);
    }

    private static NnGuests.Run run(byte[] wasm, long maxBytes) {
        NnGuests.Run r = NnGuests.run(wasm, NnGrant.builder().maxModelBytes(maxBytes).build());
        assertThat(r.outcome().exitCode()).as(r.outcome().message()).isNotNull();
        return r;
    }

    @Test
    void aSelfContainedModelLoadsAndRuns() {
        byte[] model = Models.classifier();
        NnGuests.Run r = run(loader(model, 1, 1, 0), 1 << 20);
        assertThat(r.exit()).isEqualTo(NnErrno.SUCCESS);
        assertThat((String) r.nn("load").get(0).args().get("model")).startsWith("bytes:");
        // gpu and tpu are hints: the grant decides the device
        assertThat(run(loader(model, 1, 1, 1), 1 << 20).exit()).isEqualTo(NnErrno.SUCCESS);
        assertThat(run(loader(model, 1, 1, 3), 1 << 20).exit()).isEqualTo(NnErrno.INVALID_ARGUMENT);
    }

    @Test
    void notGrantedByDefault() {
        NnGuests.Run r = run(loader(Models.classifier(), 1, 1, 0), 0);
        assertThat(r.exit()).isEqualTo(NnErrno.UNSUPPORTED_OPERATION);
        assertThat(r.outcome().denials())
                .singleElement()
                .matches(d -> d.rule().equals("nn.load-bytes"));
    }

    @Test
    void theSizeCap() {
        byte[] model = Models.classifier();
        NnGuests.Run r = run(loader(model, 1, 1, 0), model.length - 1);
        assertThat(r.exit()).isEqualTo(NnErrno.TOO_LARGE);
        assertThat(r.outcome().denials())
                .singleElement()
                .matches(d -> d.rule().equals("nn.load-bytes.size"));
        assertThat(run(loader(model, 1, 1, 0), model.length).exit()).isEqualTo(NnErrno.SUCCESS);
    }

    @Test
    void otherEncodingsAndBuilderCounts() {
        byte[] model = Models.classifier();
        for (int e : new int[] {0, 2, 3, 4, 5, 6, 255}) {
            assertThat(run(loader(model, 1, e, 0), 1 << 20).exit())
                    .as("encoding %d", e)
                    .isEqualTo(NnErrno.INVALID_ENCODING);
        }
        assertThat(run(loader(model, 2, 1, 0), 1 << 20).exit()).isEqualTo(NnErrno.INVALID_ARGUMENT);
        assertThat(run(loader(model, 0, 1, 0), 1 << 20).exit()).isEqualTo(NnErrno.INVALID_ARGUMENT);
    }

    @Test
    void bytesThatAreNotAModel() {
        assertThat(
                        run(
                                        loader(
                                                "not a model at all"
                                                        .getBytes(StandardCharsets.UTF_8),
                                                1,
                                                1,
                                                0),
                                        1 << 20)
                                .exit())
                .isEqualTo(NnErrno.INVALID_ENCODING);
        byte[] truncated = java.util.Arrays.copyOf(Models.classifier(), 100);
        assertThat(run(loader(truncated, 1, 1, 0), 1 << 20).exit())
                .isEqualTo(NnErrno.INVALID_ENCODING);
        byte[] ort = "\0\0\0\0ORTMxxxxxxxx".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(run(loader(ort, 1, 1, 0), 1 << 20).exit()).isEqualTo(NnErrno.INVALID_ENCODING);
    }

    @Test
    void aModelWithExternalDataIsRefusedBeforeOnnxRuntimeSeesIt() {
        // an initializer whose data would come from a host file
        for (boolean nested : new boolean[] {false, true}) {
            byte[] model = externalDataModel("/etc/passwd", nested);
            assertThat(ModelCheck.problem(model)).contains("external");
            NnGuests.Run r = run(loader(model, 1, 1, 0), 1 << 20);
            assertThat(r.exit()).isEqualTo(NnErrno.INVALID_ENCODING);
            assertThat(r.nn("load").get(0).args().get("detail")).asString().contains("external");
        }
        assertThat(ModelCheck.problem(Models.classifier())).isNull();
        assertThat(ModelCheck.problem(Models.matmul(2, 3, 4, 1))).isNull();
    }

    /**
     * A model whose tensor {@code W} has {@code data_location = EXTERNAL} and {@code location}
     * {@code file}: as a graph initializer, or (nested) as a Constant node's attribute inside an If
     * node's subgraph.
     */
    static byte[] externalDataModel(String file, boolean nested) {
        byte[] entry = msg(str(1, "location"), str(2, file));
        byte[] tensor =
                msg(
                        varint(1, 4),
                        varint(1, 3),
                        varint(2, 1),
                        str(8, "W"),
                        bytes(13, entry),
                        varint(14, 1));
        byte[] graph;
        if (!nested) {
            graph = msg(str(2, "g"), bytes(5, tensor));
        } else {
            byte[] constant =
                    msg(
                            str(2, "W"),
                            str(4, "Constant"),
                            bytes(5, msg(str(1, "value"), bytes(5, tensor), varint(20, 4))));
            byte[] sub = msg(bytes(1, constant), str(2, "then"));
            byte[] ifNode =
                    msg(
                            str(1, "c"),
                            str(2, "y"),
                            str(4, "If"),
                            bytes(5, msg(str(1, "then_branch"), bytes(6, sub), varint(20, 5))));
            graph = msg(bytes(1, ifNode), str(2, "g"));
        }
        return msg(varint(1, 8), bytes(7, graph), bytes(8, msg(str(1, ""), varint(2, 13))));
    }

    private static byte[] msg(byte[]... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : fields) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    private static byte[] varint(int field, long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        raw(out, (long) field << 3);
        raw(out, v);
        return out.toByteArray();
    }

    private static byte[] bytes(int field, byte[] v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        raw(out, (long) field << 3 | 2);
        raw(out, v.length);
        out.writeBytes(v);
        return out.toByteArray();
    }

    private static byte[] str(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void raw(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }
}
