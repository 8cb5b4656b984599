package dev.airlock.nn.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models (the {@code ModelProto} protobuf) from Java, so that the project's
 * example and benchmark models are made by the project itself: float initializers, graph inputs and
 * outputs with fixed shapes, and nodes with integer attributes. Opset 13, IR version 8.
 */
public final class OnnxModel {
    /** ONNX {@code TensorProto.DataType} numbers. */
    public static final int FLOAT = 1;

    public static final int INT64 = 7;

    private final String name;
    private final java.util.Map<String, Integer> opsets = new java.util.LinkedHashMap<>();
    private final List<Proto> nodes = new ArrayList<>();
    private final List<Proto> initializers = new ArrayList<>();
    private final List<Proto> inputs = new ArrayList<>();
    private final List<Proto> outputs = new ArrayList<>();

    public OnnxModel(String name) {
        this.name = name;
    }

    /** A float constant. */
    public OnnxModel initializer(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, FLOAT).string(8, name).bytes(9, b.array());
        initializers.add(t);
        return this;
    }

    /**
     * A float constant whose data ONNX Runtime would read from the file {@code location} next to
     * the model ({@code data_location = EXTERNAL}): for tests of models that are refused.
     */
    public OnnxModel externalInitializer(String name, long[] dims, String location) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, FLOAT).string(8, name);
        t.message(13, new Proto().string(1, "location").string(2, location));
        t.varint(14, 1);
        initializers.add(t);
        return this;
    }

    /** Imports operator set {@code domain} at {@code version} (the default domain "": 13). */
    public OnnxModel opset(String domain, int version) {
        opsets.put(domain, version);
        return this;
    }

    /** A graph input; a negative dimension is dynamic. */
    public OnnxModel input(String name, int elemType, long... dims) {
        inputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    /** A graph output; a negative dimension is dynamic. */
    public OnnxModel output(String name, int elemType, long... dims) {
        outputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    /**
     * A node.
     *
     * @param attributes name, value pairs of integer attributes
     */
    public OnnxModel node(String opType, List<String> in, List<String> out, Object... attributes) {
        return node("", opType, in, out, attributes);
    }

    /** A node of operator set {@code domain} ("" the default). */
    public OnnxModel node(
            String domain, String opType, List<String> in, List<String> out, Object... attributes) {
        Proto n = new Proto();
        in.forEach(i -> n.string(1, i));
        out.forEach(o -> n.string(2, o));
        n.string(3, opType + "_" + nodes.size()).string(4, opType);
        for (int i = 0; i < attributes.length; i += 2) {
            n.message(
                    5,
                    new Proto()
                            .string(1, (String) attributes[i])
                            .varint(3, ((Number) attributes[i + 1]).longValue())
                            .varint(20, 2)); // AttributeType INT
        }
        if (!domain.isEmpty()) {
            n.string(7, domain);
        }
        nodes.add(n);
        return this;
    }

    /** The model's bytes. */
    public byte[] toByteArray() {
        Proto g = new Proto();
        nodes.forEach(n -> g.message(1, n));
        g.string(2, name);
        initializers.forEach(t -> g.message(5, t));
        inputs.forEach(v -> g.message(11, v));
        outputs.forEach(v -> g.message(12, v));
        Proto m =
                new Proto()
                        .varint(1, 8) // ir_version
                        .string(2, "airlock")
                        .message(7, g)
                        // opset_import: the default domain's (13 unless set), then the others
                        .message(
                                8,
                                new Proto().string(1, "").varint(2, opsets.getOrDefault("", 13)));
        opsets.forEach(
                (d, v) -> {
                    if (!d.isEmpty()) {
                        m.message(8, new Proto().string(1, d).varint(2, v));
                    }
                });
        return m.toByteArray();
    }

    private static Proto valueInfo(String name, int elemType, long[] dims) {
        Proto shape = new Proto();
        for (long d : dims) {
            // a negative dimension is dynamic: named N, any size at run time
            shape.message(1, d < 0 ? new Proto().string(2, "N") : new Proto().varint(1, d));
        }
        Proto tensor = new Proto().varint(1, elemType).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }
}
