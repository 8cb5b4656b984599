package dev.airlock.cli.compile;

import java.util.ArrayList;
import java.util.List;

/**
 * A model input or output as ONNX Runtime's session metadata gives it.
 *
 * @param name its name, the JSON key
 * @param tag its WASI-NN tensor type (f32 1, f64 2, u8 3, i32 4, i64 5)
 * @param shape its dimensions, negative where dynamic
 * @param dimNames each dimension's symbolic name ("" where it has none)
 */
public record Port(String name, int tag, long[] shape, String[] dimNames) {
    /** The element type's name in schemas and reports. */
    public String typeName() {
        switch (tag) {
            case 1:
                return "float32";
            case 2:
                return "float64";
            case 3:
                return "uint8";
            case 4:
                return "int32";
            default:
                return "int64";
        }
    }

    /** Bytes per element. */
    public int elementBytes() {
        return new int[] {2, 4, 8, 1, 4, 8}[tag];
    }

    public boolean isFloat() {
        return tag == 1 || tag == 2;
    }

    /** Whether every dimension is fixed. */
    public boolean isStatic() {
        for (long d : shape) {
            if (d < 0) {
                return false;
            }
        }
        return true;
    }

    /** Bytes of the tensor, dynamic dimensions counted as 1 (overflow: Long.MAX_VALUE). */
    public long fixedBytes() {
        long n = elementBytes();
        for (long d : shape) {
            n = Math.multiplyExact(n, Math.max(d, 1));
        }
        return n;
    }

    /** The shape as text, symbolic dimensions by name: {@code [N, 4]}, {@code [?, 3]}. */
    public String shapeText() {
        List<String> dims = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] >= 0) {
                dims.add(Long.toString(shape[i]));
            } else {
                String n = i < dimNames.length ? dimNames[i] : "";
                dims.add(n == null || n.isEmpty() ? "?" : n);
            }
        }
        return "[" + String.join(", ", dims) + "]";
    }

    @Override
    public String toString() {
        return name + " " + typeName() + " " + shapeText();
    }
}
