package dev.airlock.cli.compile;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The inputs and outputs of a model, read through ONNX Runtime's session metadata (the session is
 * made from the bytes, so nothing next to the model file is read).
 */
public final class ModelPorts {
    public final List<Port> inputs;
    public final List<Port> outputs;

    private ModelPorts(List<Port> inputs, List<Port> outputs) {
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /** Opens the model in ONNX Runtime and reads its ports. */
    public static ModelPorts read(byte[] model) throws CompileException {
        OrtEnvironment env;
        try {
            env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        } catch (RuntimeException | LinkageError e) {
            throw new CompileException("ONNX Runtime cannot be loaded on this machine");
        }
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            try (OrtSession s = env.createSession(model, o)) {
                return new ModelPorts(
                        ports(s.getInputInfo(), "input"), ports(s.getOutputInfo(), "output"));
            }
        } catch (OrtException e) {
            throw new CompileException("ONNX Runtime cannot load the model: " + firstLine(e));
        }
    }

    static String firstLine(OrtException e) {
        String m = e.getMessage() == null ? "no reason given" : e.getMessage().strip();
        // ONNX Runtime's messages start with an error-code prefix and may run to several lines
        m = m.replaceFirst("^Error code - \\S+ - message: ", "");
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    private static List<Port> ports(Map<String, NodeInfo> infos, String what)
            throws CompileException {
        List<Port> out = new ArrayList<>();
        for (NodeInfo n : infos.values()) {
            if (!(n.getInfo() instanceof TensorInfo)) {
                throw new CompileException(
                        what + " '" + n.getName() + "' is not a tensor (a map or sequence)");
            }
            TensorInfo t = (TensorInfo) n.getInfo();
            int tag = tag(t.type);
            if (tag < 0) {
                throw new CompileException(
                        what
                                + " '"
                                + n.getName()
                                + "' has element type "
                                + t.onnxType
                                        .name()
                                        .replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "")
                                        .toLowerCase(java.util.Locale.ROOT)
                                + "; supported: float32, float64, uint8, int32, int64");
            }
            if (t.getShape().length > 8) {
                throw new CompileException(what + " '" + n.getName() + "' has more than 8 dims");
            }
            out.add(new Port(n.getName(), tag, t.getShape(), t.getDimensionNames()));
        }
        return List.copyOf(out);
    }

    private static int tag(OnnxJavaType t) {
        switch (t) {
            case FLOAT:
                return 1;
            case DOUBLE:
                return 2;
            case UINT8:
                return 3;
            case INT32:
                return 4;
            case INT64:
                return 5;
            default:
                return -1;
        }
    }
}
