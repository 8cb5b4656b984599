package dev.airlock.nn;

/**
 * The error codes of {@code wasi_ephemeral_nn} ({@code nn_errno}, a u16 returned by every
 * function), numbered as in the {@code wasi-nn.witx} that Wasmtime builds its preview-1 host
 * against: the later witx, whose enum has nine members.
 */
public final class NnErrno {
    /** No error. */
    public static final int SUCCESS = 0;

    /**
     * A bad argument: a pointer or range outside guest memory, an unknown graph or context handle,
     * an input or output index the model does not have, a tensor whose type, dimensions or data
     * length do not match, an unknown tensor type or execution target, a computation without all
     * inputs set, an output asked for before a computation.
     */
    public static final int INVALID_ARGUMENT = 1;

    /**
     * An encoding other than {@code onnx} (1), or model bytes that are not a self-contained ONNX
     * model.
     */
    public static final int INVALID_ENCODING = 2;

    /** The guest has no linear memory to pass or receive data through. */
    public static final int MISSING_MEMORY = 3;

    /**
     * A count quota is spent: computations per run ({@code nn.quota.computations}), graphs or
     * execution contexts per run ({@code nn.quota.graphs}, {@code nn.quota.contexts}).
     */
    public static final int BUSY = 4;

    /** ONNX Runtime failed (or its computation was stopped by the run's timeout). */
    public static final int RUNTIME_ERROR = 5;

    /**
     * The capability is not granted ({@code nn.none}, {@code nn.load-bytes}), or an output tensor
     * has an element type that the ABI cannot express.
     */
    public static final int UNSUPPORTED_OPERATION = 6;

    /**
     * A size quota is exceeded (tensor bytes: {@code nn.quota.tensor}; model bytes: {@code
     * nn.load-bytes.size}), or an output does not fit the guest's buffer.
     */
    public static final int TOO_LARGE = 7;

    /** {@code load_by_name} of a model that is not granted ({@code nn.model}). */
    public static final int NOT_FOUND = 8;

    private static final String[] NAMES = {
        "success",
        "invalid_argument",
        "invalid_encoding",
        "missing_memory",
        "busy",
        "runtime_error",
        "unsupported_operation",
        "too_large",
        "not_found"
    };

    private NnErrno() {}

    /** The witx name of a code, such as {@code not_found}; {@code unknown(N)} otherwise. */
    public static String name(int code) {
        return code >= 0 && code < NAMES.length ? NAMES[code] : "unknown(" + code + ")";
    }
}
