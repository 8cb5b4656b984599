package dev.airlock.server.service;

import dev.airlock.core.Airlock;
import dev.airlock.server.api.ApiException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The bounded pool that runs guests: a fixed number of big-stack threads (runs execute on them
 * without a further hand-off) and a bounded queue. A full queue, or a pool that is shutting down,
 * refuses work with 503.
 */
final class Workers {
    private final ThreadPoolExecutor pool;
    private volatile boolean draining;

    Workers(int threads, int queueSize) {
        BlockingQueue<Runnable> queue =
                queueSize == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueSize);
        this.pool =
                new ThreadPoolExecutor(
                        threads,
                        threads,
                        1,
                        TimeUnit.MINUTES,
                        queue,
                        Airlock.guestThreadFactory(64L << 20));
    }

    /**
     * Runs {@code task} on a worker and waits for it. The task itself records its result, so a
     * caller that stops waiting loses nothing.
     *
     * @throws ApiException 503 when the queue is full or the server is shutting down
     */
    <T> T run(Callable<T> task) {
        if (draining) {
            throw ApiException.unavailable("the server is shutting down", 5);
        }
        Future<T> f;
        try {
            f = pool.submit(Origins.carry(task));
        } catch (RejectedExecutionException e) {
            throw ApiException.unavailable(
                    draining
                            ? "the server is shutting down"
                            : "all workers are busy and the queue is full",
                    1);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException r) {
                        throw r;
                    }
                    if (c instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Executions queued or running. */
    int busy() {
        return pool.getActiveCount() + pool.getQueue().size();
    }

    int queued() {
        return pool.getQueue().size();
    }

    /**
     * Refuses new work and waits up to {@code timeout} for queued and running work to finish.
     *
     * @return whether everything finished
     */
    boolean draining() {
        return draining;
    }

    boolean drain(Duration timeout) {
        draining = true;
        pool.shutdown();
        try {
            return pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops at once, interrupting nothing that is already recorded. */
    void stopNow() {
        draining = true;
        pool.shutdownNow();
    }
}
