package dev.airlock.core.engine.run;

import dev.airlock.core.time.Ticker;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Checks the deadlines of running guests against the injected {@link Ticker} every 2 ms and fires
 * the ones that have passed. A fake ticker therefore triggers timeouts without real waiting.
 *
 * <p>It survives an exhausted heap: its one thread is started with the first deadline, allocates
 * nothing of its own in its loop, and a pass that fails (an {@link OutOfMemoryError} while
 * iterating or while a deadline fires) is simply repeated on the next tick; a deadline whose expiry
 * failed stays watched and fires again. Time limits are therefore still enforced while a guest
 * fills the heap, which is when they matter most.
 */
public final class Watchdog {
    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** A deadline to watch. */
    public interface Watched {
        long deadlineNanos();

        /**
         * Called from the watchdog thread once the deadline has passed: once when it returns or
         * throws an exception, again on the next tick when it ran out of memory.
         */
        void expire();

        /**
         * Called from the watchdog thread on every tick before the deadline (at most every 2 ms):
         * for checks other than time, such as an interrupt of the guest's thread by someone else.
         * Must not block; the default does nothing.
         */
        default void poll() {}
    }

    private final Ticker ticker;
    private final Set<Watched> active = ConcurrentHashMap.newKeySet();
    private volatile Thread thread;

    public Watchdog(Ticker ticker) {
        this.ticker = ticker;
    }

    public void watch(Watched w) {
        ensureStarted();
        add(w);
    }

    /** Watches without starting the thread (tests tick by hand). */
    void add(Watched w) {
        active.add(w);
    }

    public void unwatch(Watched w) {
        active.remove(w);
    }

    private void ensureStarted() {
        if (thread == null) {
            synchronized (this) {
                if (thread == null) {
                    Thread t = new Thread(this::loop, "airlock-watchdog");
                    t.setDaemon(true);
                    t.start();
                    thread = t;
                }
            }
        }
    }

    private void loop() {
        while (true) {
            tick();
            LockSupport.parkNanos(PERIOD_NANOS);
        }
    }

    /** One pass over the deadlines; never throws. */
    void tick() {
        try {
            long now = ticker.nanos();
            for (Watched w : active) {
                if (now - w.deadlineNanos() >= 0) {
                    fire(w);
                } else {
                    poll(w);
                }
            }
        } catch (Throwable starved) {
            // out of memory while iterating (or a broken ticker): the next tick tries again
        }
    }

    private static void poll(Watched w) {
        try {
            w.poll();
        } catch (RuntimeException | Error ignored) {
            // polled again on the next tick
        }
    }

    private void fire(Watched w) {
        try {
            w.expire();
        } catch (OutOfMemoryError e) {
            return; // still watched: it fires again on the next tick
        } catch (RuntimeException | Error ignored) {
            // never let one run stop the watchdog
        }
        active.remove(w);
    }
}
