package dev.airlock.nn;

import dev.airlock.core.HostCall;
import dev.airlock.core.HostImport;
import dev.airlock.core.HostImport.Refusal;
import dev.airlock.core.HostImport.ValueType;
import dev.airlock.core.Policy;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;

/**
 * {@code wasi_ephemeral_nn}, the WASI-NN preview-1 ABI, for Airlock guests, on ONNX Runtime.
 *
 * <pre>{@code
 * NnGrant nn = NnGrant.builder().model("classifier", Path.of("classifier.onnx")).build();
 * Policy policy = WasiNn.grant(Policy.builder(), nn).build();
 * }</pre>
 *
 * <p>The six functions, all {@code i32} in and out, each returning an {@link NnErrno}:
 *
 * <ul>
 *   <li>{@code load(builders, builders_len, encoding, target, graph_out)}: {@code builders} is an
 *       array of (pointer, length) pairs; ONNX takes exactly one. Encoding {@code onnx} = 1 only
 *       (openvino 0, tensorflow 2, pytorch 3, tensorflowlite 4, autodetect 5 get {@code
 *       invalid_encoding}); target cpu 0, gpu 1, tpu 2 is a hint: the grant decides the device.
 *   <li>{@code load_by_name(name, name_len, graph_out)}: a model granted by {@link
 *       NnGrant.Builder#model}.
 *   <li>{@code init_execution_context(graph, context_out)}.
 *   <li>{@code set_input(context, index, tensor)}: {@code tensor} points at a 20-byte record:
 *       dimensions pointer and count (u32 each), the {@link TensorType} tag (a u8 padded to 4
 *       bytes), data pointer and length. The type and dimensions must match the model's input
 *       (dynamic dimensions take any size) and the length must be exactly the dimensions' product
 *       times the element size.
 *   <li>{@code compute(context)}.
 *   <li>{@code get_output(context, index, buffer, buffer_max, written_out)}: copies the output
 *       tensor's bytes (row-major, little-endian) and writes their count.
 * </ul>
 *
 * <p>Handles are indices from 0 in the order of creation, valid for the run. Every call passes
 * Airlock's mediation point: it is counted, timed and audited, its event carrying the model name,
 * shapes, sizes and error; policy refusals are denials with rules {@code nn.none}, {@code
 * nn.model}, {@code nn.load-bytes}, {@code nn.load-bytes.size}, {@code nn.quota.computations},
 * {@code nn.quota.graphs}, {@code nn.quota.contexts} and {@code nn.quota.tensor}.
 */
public final class WasiNn {
    /** The import module name. */
    public static final String MODULE = "wasi_ephemeral_nn";

    private WasiNn() {}

    /**
     * Loads ONNX Runtime, the engine of granted WASI-NN calls, and names it with its version, such
     * as {@code ONNX Runtime 1.20.0}.
     *
     * @throws IllegalStateException with the reason when its native library cannot be loaded on
     *     this machine
     */
    public static String runtime() {
        try {
            return "ONNX Runtime " + Onnx.env().getVersion();
        } catch (RuntimeException | LinkageError e) {
            String m = e.getMessage();
            throw new IllegalStateException(
                    "ONNX Runtime cannot be loaded: "
                            + (m == null || m.isBlank() ? "no reason given" : m),
                    e);
        }
    }

    /**
     * Why {@code bytes} would be refused as a model, or {@code null} when they are a self-contained
     * ONNX protobuf: not ORT format, well-formed protobuf, no tensor data in external files (the
     * check {@code load} applies to guest bytes, before ONNX Runtime sees them).
     */
    public static String modelProblem(byte[] bytes) {
        return ModelCheck.problem(bytes);
    }

    /**
     * Grants {@code nn} to the policy being built: the six functions under {@code grant} ({@link
     * NnGrant#none()} still provides them, so that modules importing them run, but refuses every
     * call).
     */
    public static Policy.Builder grant(Policy.Builder policy, NnGrant grant) {
        for (HostImport h : imports(grant)) {
            policy.grant(h);
        }
        return policy;
    }

    /** The six host functions under {@code grant}. Each list keeps its own per-run state. */
    public static List<HostImport> imports(NnGrant grant) {
        Abi abi = new Abi(grant);
        Calls calls = new Calls(abi);
        String verdict =
                !grant.granted()
                        ? "denied (nn.none)"
                        : "allowed (nn: " + grant.models().size() + " model(s))";
        String load =
                !grant.granted()
                        ? verdict
                        : grant.maxModelBytes() == 0
                                ? "denied (nn.load-bytes)"
                                : "allowed (models up to " + grant.maxModelBytes() + " bytes)";
        return List.of(
                fn("load", 5, load, abi::checkLoad, calls::load),
                fn("load_by_name", 3, verdict, abi::checkLoadByName, calls::loadByName),
                fn(
                        "init_execution_context",
                        2,
                        verdict,
                        abi::checkInit,
                        calls::initExecutionContext),
                fn("set_input", 3, verdict, abi::checkSetInput, calls::setInput),
                fn("get_output", 5, verdict, (a, c) -> abi.none(), calls::getOutput),
                fn("compute", 1, verdict, abi::checkCompute, calls::compute));
    }

    private static HostImport fn(
            String name,
            int params,
            String verdict,
            BiFunction<long[], HostCall, Refusal> check,
            Calls.Body body) {
        return HostImport.withMemory(
                MODULE,
                name,
                Collections.nCopies(params, ValueType.I32),
                List.of(ValueType.I32),
                new HostImport.GuestHandler() {
                    @Override
                    public long[] call(long[] args, HostCall call) {
                        return Calls.guarded(body, args, call);
                    }

                    @Override
                    public Refusal check(long[] args, HostCall call) {
                        return check.apply(args, call);
                    }

                    @Override
                    public String verdict() {
                        return verdict;
                    }
                });
    }
}
