package dev.airlock.nn;

import ai.onnxruntime.OnnxTensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One run's {@code wasi_ephemeral_nn} state: its graphs and execution contexts (handles are their
 * indices, from 0) and the computations made. Written by the guest's thread; closed by the runner
 * when the run ends, which may happen while a computation that outlived the timeout is still under
 * way: its native resources are then released when that computation returns.
 */
final class NnRun implements AutoCloseable {
    /** A computed output, copied out of ONNX Runtime (its bytes are {@code data}'s remaining). */
    record Output(TensorType type, long[] shape, ByteBuffer data) {}

    /**
     * An input tensor over a direct buffer that later {@code set_input} calls of the same type and
     * shape refill.
     */
    record Input(OnnxTensor tensor, ByteBuffer buffer, TensorType type, long[] dims) {
        boolean fits(TensorType t, long[] d) {
            return type == t && Arrays.equals(dims, d);
        }
    }

    /** An execution context: the inputs set so far and the outputs of the last computation. */
    static final class Context {
        final Onnx.Graph graph;
        final Input[] inputs;
        Output[] outputs;

        Context(Onnx.Graph graph) {
            this.graph = graph;
            this.inputs = new Input[graph.inputs.size()];
        }

        /** Unsets an input, keeping its tensor if {@code keep} fits it; returns what was kept. */
        Input take(int index, TensorType type, long[] dims) {
            Input old = inputs[index];
            inputs[index] = null;
            if (old != null && !old.fits(type, dims)) {
                old.tensor().close();
                old = null;
            }
            return old;
        }

        void release() {
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i] != null) {
                    inputs[i].tensor().close();
                    inputs[i] = null;
                }
            }
            outputs = null;
        }
    }

    private final List<Onnx.Graph> graphs = new ArrayList<>();
    private final List<Context> contexts = new ArrayList<>();
    private long computations;
    private boolean closed;
    private boolean computing;

    synchronized int graphCount() {
        return graphs.size();
    }

    synchronized int contextCount() {
        return contexts.size();
    }

    synchronized long computations() {
        return computations;
    }

    /** The graph of a handle, or {@code null}. */
    synchronized Onnx.Graph graph(long handle) {
        return handle >= 0 && handle < graphs.size() ? graphs.get((int) handle) : null;
    }

    /** The context of a handle, or {@code null}. */
    synchronized Context context(long handle) {
        return handle >= 0 && handle < contexts.size() ? contexts.get((int) handle) : null;
    }

    /** Adds a graph; returns its handle, or -1 (and closes it) if the run has ended. */
    synchronized int add(Onnx.Graph g) {
        if (closed) {
            g.close();
            return -1;
        }
        graphs.add(g);
        return graphs.size() - 1;
    }

    /** Adds a context; returns its handle, or -1 if the run has ended. */
    synchronized int add(Context c) {
        if (closed) {
            return -1;
        }
        contexts.add(c);
        return contexts.size() - 1;
    }

    /** Starts a computation; false if the run has ended. */
    synchronized boolean beginCompute() {
        if (closed) {
            return false;
        }
        computing = true;
        computations++;
        return true;
    }

    /** Ends a computation, releasing everything if the run ended meanwhile. */
    synchronized void endCompute() {
        computing = false;
        if (closed) {
            release();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!computing) {
            release();
        }
    }

    private void release() {
        for (Context c : contexts) {
            c.release();
        }
        contexts.clear();
        for (Onnx.Graph g : graphs) {
            g.close();
        }
        graphs.clear();
    }
}
