package dev.airlock.core.engine.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads with an explicit stack size that run guests. Airlock keeps a pool per stack size (idle
 * threads end after 30 s) and hands each run to it; a run started on a guest thread that is not
 * already running a guest, and whose stack is large enough, runs right there, with no hand-off.
 */
public final class GuestThreads {
    private static final Map<Long, ExecutorService> POOLS = new ConcurrentHashMap<>();
    private static final AtomicInteger COUNT = new AtomicInteger();

    private GuestThreads() {}

    /** A thread made for guests. */
    public static final class GuestThread extends Thread {
        final long stackBytes;
        public boolean busy;

        GuestThread(Runnable r, String name, long stackBytes) {
            super(null, r, name, stackBytes);
            this.stackBytes = stackBytes;
            setDaemon(true);
        }
    }

    /** A factory of daemon guest threads with the given stack size. */
    public static ThreadFactory factory(long stackBytes, String prefix) {
        return r -> new GuestThread(r, prefix + COUNT.incrementAndGet(), stackBytes);
    }

    /**
     * The current thread, if it is an idle guest thread with at least {@code stackBytes} of stack;
     * else {@code null}.
     */
    public static GuestThread idleCurrent(long stackBytes) {
        Thread t = Thread.currentThread();
        if (t instanceof GuestThread) {
            GuestThread g = (GuestThread) t;
            return !g.busy && g.stackBytes >= stackBytes ? g : null;
        }
        return null;
    }

    public static ExecutorService forStack(long stackBytes) {
        return POOLS.computeIfAbsent(
                stackBytes,
                size ->
                        new ThreadPoolExecutor(
                                0,
                                Integer.MAX_VALUE,
                                30,
                                TimeUnit.SECONDS,
                                new SynchronousQueue<>(),
                                factory(size, "airlock-guest-")));
    }
}
