package dev.airlock.core.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads with an explicit stack size that run guests, reused between runs (idle threads end
 * after 30 s). One pool per stack size.
 */
final class GuestThreads {
    private static final Map<Long, ExecutorService> POOLS = new ConcurrentHashMap<>();
    private static final AtomicInteger COUNT = new AtomicInteger();

    private GuestThreads() {}

    static ExecutorService forStack(long stackBytes) {
        return POOLS.computeIfAbsent(
                stackBytes,
                size ->
                        new ThreadPoolExecutor(
                                0,
                                Integer.MAX_VALUE,
                                30,
                                TimeUnit.SECONDS,
                                new SynchronousQueue<>(),
                                r -> {
                                    Thread t =
                                            new Thread(
                                                    null,
                                                    r,
                                                    "airlock-guest-" + COUNT.incrementAndGet(),
                                                    size);
                                    t.setDaemon(true);
                                    return t;
                                }));
    }
}
