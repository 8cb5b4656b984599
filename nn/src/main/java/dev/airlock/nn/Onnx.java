package dev.airlock.nn;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** ONNX Runtime behind {@code wasi_ephemeral_nn}: one environment per JVM, loaded on first use. */
final class Onnx {
    private Onnx() {}

    private static volatile OrtEnvironment env;

    /** The environment; loads the native library on first use. */
    static OrtEnvironment env() {
        OrtEnvironment e = env;
        if (e == null) {
            synchronized (Onnx.class) {
                e = env;
                if (e == null) {
                    e = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
                    env = e;
                }
            }
        }
        return e;
    }

    /** A tensor the model takes or gives: its name, element type and declared shape. */
    record Port(String name, TensorType type, long[] shape) {}

    /** A loaded model. */
    static final class Graph implements AutoCloseable {
        final String name;
        final OrtSession session;
        final List<Port> inputs;
        final List<Port> outputs;

        Graph(String name, OrtSession session) throws OrtException {
            this.name = name;
            this.session = session;
            this.inputs = ports(session.getInputInfo());
            this.outputs = ports(session.getOutputInfo());
        }

        private static List<Port> ports(Map<String, NodeInfo> infos) {
            List<Port> out = new ArrayList<>();
            for (NodeInfo n : infos.values()) {
                if (n.getInfo() instanceof TensorInfo) {
                    TensorInfo t = (TensorInfo) n.getInfo();
                    out.add(new Port(n.getName(), TensorType.of(t.type), t.getShape()));
                } else {
                    // sequences and maps: present, but no ABI tensor type fits them
                    out.add(new Port(n.getName(), null, new long[0]));
                }
            }
            return out;
        }

        @Override
        public void close() {
            try {
                session.close();
            } catch (OrtException | RuntimeException e) {
                // nothing more to release
            }
        }
    }

    static OrtSession.SessionOptions options(NnGrant grant) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        if (grant.threads() > 0) {
            o.setIntraOpNumThreads(grant.threads());
            o.setInterOpNumThreads(1);
        }
        if (grant.cuda()) {
            o.addCUDA(0);
        }
        return o;
    }

    static Graph load(String name, Path file, NnGrant grant) throws OrtException {
        try (OrtSession.SessionOptions o = options(grant)) {
            return new Graph(name, env().createSession(file.toString(), o));
        }
    }

    static Graph load(String name, byte[] bytes, NnGrant grant) throws OrtException {
        try (OrtSession.SessionOptions o = options(grant)) {
            return new Graph(name, env().createSession(bytes, o));
        }
    }

    /** The {@link NnErrno} for an ONNX Runtime failure. */
    static int errno(OrtException e, boolean loading) {
        OrtException.OrtErrorCode c = e.getCode();
        if (c == null) {
            return NnErrno.RUNTIME_ERROR;
        }
        switch (c) {
            case ORT_INVALID_ARGUMENT:
                return loading ? NnErrno.INVALID_ENCODING : NnErrno.INVALID_ARGUMENT;
            case ORT_INVALID_PROTOBUF:
            case ORT_INVALID_GRAPH:
            case ORT_NO_MODEL:
            case ORT_NO_SUCHFILE:
                return loading ? NnErrno.INVALID_ENCODING : NnErrno.RUNTIME_ERROR;
            case ORT_NOT_IMPLEMENTED:
                return NnErrno.UNSUPPORTED_OPERATION;
            default:
                return NnErrno.RUNTIME_ERROR;
        }
    }
}
