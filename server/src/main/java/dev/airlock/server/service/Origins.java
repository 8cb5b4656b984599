package dev.airlock.server.service;

import dev.airlock.audit.store.RunOrigin;
import io.opentelemetry.context.Context;
import java.util.concurrent.Callable;

/**
 * The request being handled on this thread ({@link RunOrigin}: its request id and trace id), so
 * that the runs it makes are recorded with it, and the span it is answered in when the server
 * traces, so that the runs' spans are its children: set by the HTTP and MCP layers around each
 * request, and carried to the worker that runs the request's code.
 */
public final class Origins {
    private record Here(RunOrigin origin, Context trace) {}

    private static final ThreadLocal<Here> CURRENT = new ThreadLocal<>();

    private Origins() {}

    /** The origin of the work on this thread ({@link RunOrigin#NONE} outside requests). */
    public static RunOrigin current() {
        Here h = CURRENT.get();
        return h == null ? RunOrigin.NONE : h.origin();
    }

    /**
     * The trace context of the work on this thread: the request's span when the server traces it,
     * else {@link Context#root()}.
     */
    public static Context trace() {
        Here h = CURRENT.get();
        return h == null ? Context.root() : h.trace();
    }

    /** Sets this thread's origin until the returned scope is closed (which restores the last). */
    public static Scope enter(RunOrigin origin) {
        return enter(origin, Context.root());
    }

    /**
     * Sets this thread's origin and trace context until the returned scope is closed (which
     * restores the last).
     */
    public static Scope enter(RunOrigin origin, Context trace) {
        Here before = CURRENT.get();
        CURRENT.set(new Here(origin, trace == null ? Context.root() : trace));
        return () -> restore(before);
    }

    /** The task, run with the origin of the thread that made it. */
    static <T> Callable<T> carry(Callable<T> task) {
        Here here = CURRENT.get();
        if (here == null) {
            return task;
        }
        return () -> {
            try (Scope s = enter(here.origin(), here.trace())) {
                return task.call();
            }
        };
    }

    private static void restore(Here before) {
        if (before == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(before);
        }
    }

    /** The time an origin is set. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
