package dev.airlock.core.engine.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The per-run values of host functions ({@link dev.airlock.core.HostCall#runLocal}); closed when
 * the run ends.
 */
public final class RunLocals implements AutoCloseable {
    private final Map<Object, Object> values = new HashMap<>();
    private final List<Object> order = new ArrayList<>();
    private boolean closed;

    public synchronized <T> T get(Object key, Supplier<T> create) {
        if (closed) {
            throw new IllegalStateException("the run has ended");
        }
        Object v = values.get(key);
        if (v == null) {
            v = create.get();
            if (v == null) {
                throw new NullPointerException("run-local value for " + key);
            }
            values.put(key, v);
            order.add(v);
        }
        @SuppressWarnings("unchecked")
        T t = (T) v;
        return t;
    }

    /** Closes the {@link AutoCloseable} values, last created first; ignores their exceptions. */
    @Override
    public void close() {
        List<Object> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(order);
            values.clear();
            order.clear();
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            if (toClose.get(i) instanceof AutoCloseable) {
                try {
                    ((AutoCloseable) toClose.get(i)).close();
                } catch (Exception | LinkageError e) {
                    // a value that cannot close must not hide the outcome
                }
            }
        }
    }
}
