package dev.airlock.nn;

import static dev.airlock.nn.Abi.u32;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.airlock.core.GuestMemory;
import dev.airlock.core.GuestMemoryException;
import dev.airlock.core.HostCall;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The six {@code wasi_ephemeral_nn} calls once the policy allowed them. Every pointer, length,
 * handle, index and type from the guest is checked before anything is allocated or loaded; a bad
 * one gives its {@link NnErrno}, never an exception.
 */
final class Calls {
    private static final int ONNX = 1;
    private static final int MAX_TARGET = 2; // cpu, gpu, tpu: a hint; the grant picks the device

    private final Abi abi;

    Calls(Abi abi) {
        this.abi = abi;
    }

    /** Runs one call, turning any failure into an error code in the summary. */
    @FunctionalInterface
    interface Body {
        int run(long[] a, HostCall call) throws OrtException;
    }

    static long[] guarded(Body body, long[] a, HostCall call) {
        int errno;
        try {
            errno = body.run(a, call);
        } catch (OrtException e) {
            errno = NnErrno.RUNTIME_ERROR;
            call.summary("detail", e.getMessage());
        } catch (GuestMemoryException e) {
            errno = NnErrno.INVALID_ARGUMENT;
        } catch (RuntimeException e) {
            errno = NnErrno.RUNTIME_ERROR;
            call.summary("detail", e.toString());
        }
        if (errno != NnErrno.SUCCESS) {
            call.summary("error", NnErrno.name(errno));
        }
        return new long[] {errno};
    }

    int loadByName(long[] a, HostCall call) {
        GuestMemory m = call.memory();
        if (m.size() == 0) {
            return NnErrno.MISSING_MEMORY;
        }
        String name = Abi.name(m, a[0], a[1]);
        long out = u32(a[2]);
        if (name == null || !m.contains(out, 4)) {
            return NnErrno.INVALID_ARGUMENT;
        }
        Path file = abi.grant.models().get(name);
        if (file == null) {
            return NnErrno.NOT_FOUND;
        }
        Onnx.Graph g;
        try {
            g = Onnx.load(name, file, abi.grant);
        } catch (OrtException e) {
            call.summary("detail", e.getMessage());
            return NnErrno.RUNTIME_ERROR; // the host's file, not the guest's fault
        }
        return added(abi.run(call).add(g), out, m, call, "graph");
    }

    int load(long[] a, HostCall call) throws OrtException {
        GuestMemory m = call.memory();
        if (m.size() == 0) {
            return NnErrno.MISSING_MEMORY;
        }
        long encoding = u32(a[2]);
        long target = u32(a[3]);
        long out = u32(a[4]);
        call.summary("encoding", encoding);
        call.summary("target", target);
        if (encoding != ONNX) {
            return NnErrno.INVALID_ENCODING;
        }
        long size = Abi.builderSize(m, a[0], a[1]);
        if (target > MAX_TARGET || size < 0 || !m.contains(out, 4)) {
            return NnErrno.INVALID_ARGUMENT;
        }
        if (size > abi.grant.maxModelBytes()) {
            return NnErrno.TOO_LARGE;
        }
        long ptr = u32(m.readInt(u32(a[0])));
        if (!m.contains(ptr, size)) {
            return NnErrno.INVALID_ARGUMENT;
        }
        byte[] bytes = m.readBytes(ptr, size);
        String problem = ModelCheck.problem(bytes);
        if (problem != null) {
            call.summary("detail", problem);
            return NnErrno.INVALID_ENCODING;
        }
        String name = "bytes:" + sha256(bytes).substring(0, 16);
        call.summary("model", name);
        Onnx.Graph g;
        try {
            g = Onnx.load(name, bytes, abi.grant);
        } catch (OrtException e) {
            call.summary("detail", e.getMessage());
            return Onnx.errno(e, true);
        }
        return added(abi.run(call).add(g), out, m, call, "graph");
    }

    int initExecutionContext(long[] a, HostCall call) {
        GuestMemory m = call.memory();
        if (m.size() == 0) {
            return NnErrno.MISSING_MEMORY;
        }
        NnRun run = abi.run(call);
        Onnx.Graph g = run.graph(u32(a[0]));
        long out = u32(a[1]);
        call.summary("graph", u32(a[0]));
        if (g == null || !m.contains(out, 4)) {
            return NnErrno.INVALID_ARGUMENT;
        }
        call.summary("model", g.name);
        return added(run.add(new NnRun.Context(g)), out, m, call, "context");
    }

    int setInput(long[] a, HostCall call) throws OrtException {
        GuestMemory m = call.memory();
        if (m.size() == 0) {
            return NnErrno.MISSING_MEMORY;
        }
        NnRun.Context c = context(a[0], call);
        long index = u32(a[1]);
        call.summary("index", index);
        if (c == null || index >= c.inputs.length) {
            return NnErrno.INVALID_ARGUMENT;
        }
        TensorArg t;
        try {
            t = TensorArg.read(m, u32(a[2]));
        } catch (TensorArg.Invalid e) {
            call.summary("detail", e.getMessage());
            return NnErrno.INVALID_ARGUMENT;
        }
        call.summary("type", t.type() == null ? "unknown(" + t.typeCode() + ")" : t.type().id());
        call.summary("shape", TensorArg.shape(t.dims()));
        Onnx.Port port = c.graph.inputs.get((int) index);
        if (t.type() == null || t.type() != port.type()) {
            return NnErrno.INVALID_ARGUMENT;
        }
        if (t.bytes() > abi.grant.maxTensorBytes()) {
            return NnErrno.TOO_LARGE;
        }
        if (!fits(t.dims(), port.shape()) || t.dataLen() != t.bytes()) {
            return NnErrno.INVALID_ARGUMENT;
        }
        if (!m.contains(t.dataPtr(), t.dataLen())) {
            return NnErrno.INVALID_ARGUMENT;
        }
        call.summary("bytes", t.bytes());
        // a direct buffer that ONNX Runtime uses in place; refilled by the next set_input of
        // the same type and shape, so that a guest looping over inferences allocates nothing
        NnRun.Input in = c.take((int) index, t.type(), t.dims());
        byte[] bytes = m.readBytes(t.dataPtr(), t.dataLen());
        if (in == null) {
            ByteBuffer data =
                    ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.nativeOrder());
            data.put(bytes).flip();
            OnnxTensor tensor =
                    OnnxTensor.createTensor(Onnx.env(), data, t.dims(), t.type().onnx());
            in = new NnRun.Input(tensor, data, t.type(), t.dims());
        } else {
            in.buffer().clear();
            in.buffer().put(bytes).flip();
        }
        c.inputs[(int) index] = in;
        return NnErrno.SUCCESS;
    }

    int compute(long[] a, HostCall call) {
        NnRun run = abi.run(call);
        NnRun.Context c = context(a[0], call);
        if (c == null) {
            return NnErrno.INVALID_ARGUMENT;
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        for (int i = 0; i < c.inputs.length; i++) {
            if (c.inputs[i] == null) {
                call.summary("detail", "input " + i + " not set");
                return NnErrno.INVALID_ARGUMENT;
            }
            inputs.put(c.graph.inputs.get(i).name(), c.inputs[i].tensor());
        }
        c.outputs = null;
        if (!run.beginCompute()) {
            return NnErrno.RUNTIME_ERROR;
        }
        try (OrtSession.RunOptions options = new OrtSession.RunOptions();
                AutoCloseable watch = ComputeWatch.watch(options);
                OrtSession.Result result = c.graph.session.run(inputs, options)) {
            NnRun.Output[] outs = new NnRun.Output[c.graph.outputs.size()];
            List<List<Long>> shapes = new ArrayList<>();
            for (int i = 0; i < outs.length; i++) {
                OnnxValue v = result.get(i);
                if (!(v instanceof OnnxTensor)) {
                    outs[i] = new NnRun.Output(null, new long[0], null);
                    shapes.add(List.of());
                    continue;
                }
                OnnxTensor t = (OnnxTensor) v;
                TensorType type = TensorType.of(t.getInfo().type);
                long[] shape = t.getInfo().getShape();
                shapes.add(TensorArg.shape(shape));
                if (type == null) {
                    outs[i] = new NnRun.Output(null, shape, null);
                    continue;
                }
                long bytes = TensorArg.size(shape, type.bytes());
                if (bytes > abi.grant.maxTensorBytes()) {
                    call.summary("outputs", shapes);
                    call.summary("detail", "output " + i + ": " + bytes + " bytes");
                    return NnErrno.TOO_LARGE;
                }
                // one copy out of ONNX Runtime (a heap buffer), the next into guest memory
                outs[i] = new NnRun.Output(type, shape, t.getByteBuffer());
            }
            call.summary("outputs", shapes);
            c.outputs = outs;
            return NnErrno.SUCCESS;
        } catch (OrtException e) {
            call.summary("detail", e.getMessage());
            return Onnx.errno(e, false);
        } catch (Exception e) {
            call.summary("detail", e.toString());
            return NnErrno.RUNTIME_ERROR;
        } finally {
            run.endCompute();
        }
    }

    int getOutput(long[] a, HostCall call) {
        GuestMemory m = call.memory();
        if (m.size() == 0) {
            return NnErrno.MISSING_MEMORY;
        }
        NnRun.Context c = context(a[0], call);
        long index = u32(a[1]);
        long buf = u32(a[2]);
        long max = u32(a[3]);
        long written = u32(a[4]);
        call.summary("index", index);
        if (c == null
                || c.outputs == null
                || index >= c.outputs.length
                || !m.contains(buf, max)
                || !m.contains(written, 4)) {
            return NnErrno.INVALID_ARGUMENT;
        }
        NnRun.Output o = c.outputs[(int) index];
        call.summary("shape", TensorArg.shape(o.shape()));
        if (o.type() == null) {
            return NnErrno.UNSUPPORTED_OPERATION;
        }
        call.summary("type", o.type().id());
        ByteBuffer data = o.data();
        int len = data.remaining();
        call.summary("bytes", len);
        if (len > max) {
            return NnErrno.TOO_LARGE;
        }
        if (data.hasArray()) {
            m.writeBytes(buf, data.array(), data.arrayOffset() + data.position(), len);
        } else {
            byte[] copy = new byte[len];
            data.duplicate().get(copy);
            m.writeBytes(buf, copy);
        }
        m.writeInt(written, len);
        return NnErrno.SUCCESS;
    }

    private NnRun.Context context(long handle, HostCall call) {
        call.summary("context", u32(handle));
        NnRun.Context c = abi.run(call).context(u32(handle));
        if (c != null) {
            call.summary("model", c.graph.name);
        }
        return c;
    }

    private static int added(int handle, long out, GuestMemory m, HostCall call, String what) {
        if (handle < 0) {
            return NnErrno.RUNTIME_ERROR;
        }
        m.writeInt(out, handle);
        call.summary(what, handle);
        return NnErrno.SUCCESS;
    }

    /** Whether {@code dims} fit the declared shape: same rank, equal where it is fixed. */
    private static boolean fits(long[] dims, long[] declared) {
        if (dims.length != declared.length) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) {
            if (declared[i] >= 0 && declared[i] != dims[i]) {
                return false;
            }
        }
        return true;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
