package dev.airlock.core.engine;

import dev.airlock.core.time.Ticker;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Checks the deadlines of running guests against the injected {@link Ticker} every 2 ms and fires
 * the ones that have passed. A fake ticker therefore triggers timeouts without real waiting.
 */
final class Watchdog {
    /** A deadline to watch. */
    interface Watched {
        long deadlineNanos();

        /** Called once, from the watchdog thread, when the deadline has passed. */
        void expire();
    }

    private final Ticker ticker;
    private final Set<Watched> active = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService timer;

    Watchdog(Ticker ticker) {
        this.ticker = ticker;
    }

    void watch(Watched w) {
        ensureStarted();
        active.add(w);
    }

    void unwatch(Watched w) {
        active.remove(w);
    }

    private void ensureStarted() {
        if (timer == null) {
            synchronized (this) {
                if (timer == null) {
                    ScheduledExecutorService t =
                            Executors.newSingleThreadScheduledExecutor(
                                    r -> {
                                        Thread th = new Thread(r, "airlock-watchdog");
                                        th.setDaemon(true);
                                        return th;
                                    });
                    t.scheduleWithFixedDelay(this::tick, 2, 2, TimeUnit.MILLISECONDS);
                    timer = t;
                }
            }
        }
    }

    private void tick() {
        long now = ticker.nanos();
        for (Watched w : active) {
            if (now - w.deadlineNanos() >= 0 && active.remove(w)) {
                try {
                    w.expire();
                } catch (RuntimeException ignored) {
                    // never let one run stop the watchdog
                }
            }
        }
    }
}
