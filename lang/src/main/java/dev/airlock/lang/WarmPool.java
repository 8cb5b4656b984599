package dev.airlock.lang;

import dev.airlock.core.GuestInstance;
import dev.airlock.core.ModuleRejectedException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * A few interpreter instances restored ahead of time. {@link #take()} never waits for a refill:
 * when the pool is empty it restores one on the caller's thread, and every take schedules one
 * refill on a background thread.
 */
final class WarmPool implements AutoCloseable {
    /** Makes one ready instance. */
    interface Maker {
        GuestInstance make() throws ModuleRejectedException;
    }

    private final ArrayBlockingQueue<GuestInstance> ready;
    private final Maker maker;
    private final ExecutorService refill =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "airlock-warm-pool");
                        t.setDaemon(true);
                        return t;
                    });
    private volatile boolean closed;

    WarmPool(int size, Maker maker) {
        this.ready = new ArrayBlockingQueue<>(size);
        this.maker = maker;
        for (int i = 0; i < size; i++) {
            scheduleRefill();
        }
    }

    GuestInstance take() throws ModuleRejectedException {
        GuestInstance g = ready.poll();
        scheduleRefill();
        return g != null ? g : maker.make();
    }

    private void scheduleRefill() {
        if (closed) {
            return;
        }
        try {
            refill.execute(
                    () -> {
                        if (closed || ready.remainingCapacity() == 0) {
                            return;
                        }
                        try {
                            GuestInstance g = maker.make();
                            if (closed || !ready.offer(g)) {
                                g.close();
                            }
                        } catch (ModuleRejectedException | RuntimeException e) {
                            // the caller's own restore will report it
                        }
                    });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    @Override
    public void close() {
        closed = true;
        refill.shutdownNow();
        GuestInstance g;
        while ((g = ready.poll()) != null) {
            g.close();
        }
    }
}
