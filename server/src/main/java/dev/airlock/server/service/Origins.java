package dev.airlock.server.service;

import dev.airlock.audit.store.RunOrigin;
import java.util.concurrent.Callable;

/**
 * The request being handled on this thread ({@link RunOrigin}: its request id and trace id), so
 * that the runs it makes are recorded with it: set by the HTTP layer around each request, and
 * carried to the worker that runs the request's code.
 */
public final class Origins {
    private static final ThreadLocal<RunOrigin> CURRENT = new ThreadLocal<>();

    private Origins() {}

    /** The origin of the work on this thread ({@link RunOrigin#NONE} outside requests). */
    public static RunOrigin current() {
        RunOrigin o = CURRENT.get();
        return o == null ? RunOrigin.NONE : o;
    }

    /** Sets this thread's origin until the returned scope is closed (which restores the last). */
    public static Scope enter(RunOrigin origin) {
        RunOrigin before = CURRENT.get();
        CURRENT.set(origin);
        return () -> restore(before);
    }

    /** The task, run with the origin of the thread that made it. */
    static <T> Callable<T> carry(Callable<T> task) {
        RunOrigin origin = CURRENT.get();
        if (origin == null) {
            return task;
        }
        return () -> {
            try (Scope s = enter(origin)) {
                return task.call();
            }
        };
    }

    private static void restore(RunOrigin before) {
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
