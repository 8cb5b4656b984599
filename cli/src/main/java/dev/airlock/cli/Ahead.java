package dev.airlock.cli;

import dev.airlock.core.ModuleRejectedException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Work started ahead on a thread of its own, so that it overlaps what the command does meanwhile: a
 * command loads its module (compiled code from the cache: parsing, defining classes) while it opens
 * the audit store. Only work that runs no guest code is started ahead; the guest still starts after
 * the store is open, so a run that cannot be recorded never runs.
 */
final class Ahead<T> {
    private final FutureTask<T> task;

    private Ahead(Callable<T> work) {
        this.task = new FutureTask<>(work);
        Thread t = new Thread(task, "airlock-ahead");
        t.setDaemon(true); // a command that fails meanwhile exits without waiting for it
        t.start();
    }

    /** Starts {@code work} on its own thread now. */
    static <T> Ahead<T> start(Callable<T> work) {
        return new Ahead<>(work);
    }

    /**
     * The work's result, waiting for it: what it threw is thrown here as it was.
     *
     * @throws ModuleRejectedException if the work threw it
     */
    T join() throws ModuleRejectedException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the work runs on; its result is still needed
                }
            }
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof ModuleRejectedException) {
                throw (ModuleRejectedException) c;
            }
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            if (c instanceof Error) {
                throw (Error) c;
            }
            throw new IllegalStateException(c);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
