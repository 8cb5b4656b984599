package dev.airlock.nn;

import ai.onnxruntime.OnnxJavaType;

/**
 * The element types of {@code wasi_ephemeral_nn} tensors, numbered as in Wasmtime's {@code
 * wasi-nn.witx}: {@code f16} 0, {@code f32} 1, {@code f64} 2, {@code u8} 3, {@code i32} 4, {@code
 * i64} 5. (The older ephemeral witx numbered {@code f16, f32, u8, i32} 0..3; Airlock follows the
 * later numbering, as Wasmtime and the {@code wasi-nn} Rust bindings do.)
 */
public enum TensorType {
    F16(0, 2, OnnxJavaType.FLOAT16),
    F32(1, 4, OnnxJavaType.FLOAT),
    F64(2, 8, OnnxJavaType.DOUBLE),
    U8(3, 1, OnnxJavaType.UINT8),
    I32(4, 4, OnnxJavaType.INT32),
    I64(5, 8, OnnxJavaType.INT64);

    private final int code;
    private final int bytes;
    private final OnnxJavaType onnx;

    TensorType(int code, int bytes, OnnxJavaType onnx) {
        this.code = code;
        this.bytes = bytes;
        this.onnx = onnx;
    }

    /** The ABI's number for this type. */
    public int code() {
        return code;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    OnnxJavaType onnx() {
        return onnx;
    }

    /** The type of an ABI number, or {@code null} for an unknown one. */
    public static TensorType of(long code) {
        for (TensorType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** The type of an ONNX Runtime element type, or {@code null} if the ABI cannot express it. */
    static TensorType of(OnnxJavaType t) {
        for (TensorType v : values()) {
            if (v.onnx == t) {
                return v;
            }
        }
        return null;
    }

    /** The witx name, such as {@code f32}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
