package dev.airlock.core.engine.run;

import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Status;
import dev.airlock.core.mediation.Mediator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Runs one piece of guest work (instantiation or an export call) on a thread with the policy's
 * stack, under the watchdog's deadline, and classifies how it ended. Any thread may {@link #stop}
 * it.
 */
public final class GuardedCall {
    private static final long GRACE_MILLIS = 2000;

    /** The guest work; returns its results. */
    public interface Body {
        public long[] run() throws Throwable;
    }

    private final Mediator mediator;
    private final Limits limits;
    private final LongSupplier memoryBytes;
    private final RunningThread running = new RunningThread();
    private volatile Traps.End end;
    private volatile long[] results;

    public GuardedCall(Mediator mediator, Limits limits, LongSupplier memoryBytes) {
        this.mediator = mediator;
        this.limits = limits;
        this.memoryBytes = memoryBytes;
    }

    /** Runs {@code body} and returns how it ended; results are in {@link #results()}. */
    public Traps.End run(Body body, Watchdog watchdog, long startNanos) {
        Watchdog.Watched w =
                new Watchdog.Watched() {
                    final long deadline = startNanos + limits.timeout().toNanos();
                    // made now, on the caller's thread: expiring must not need the heap
                    final String message =
                            "limit exceeded: time ("
                                    + dev.airlock.core.Durations.format(limits.timeout())
                                    + ")";

                    @Override
                    public long deadlineNanos() {
                        return deadline;
                    }

                    @Override
                    public void expire() {
                        stop(LimitKind.TIME, message);
                    }

                    @Override
                    public void poll() {
                        if (running.interruptedFromOutside()) {
                            stop(LimitKind.INTERRUPTED, RunningThread.CALLER_INTERRUPTED);
                        }
                    }
                };
        watchdog.watch(w);
        try {
            GuestThreads.GuestThread here = GuestThreads.idleCurrent(limits.stackBytes());
            if (here != null) {
                here.busy = true;
                try {
                    execute(body);
                } finally {
                    here.busy = false;
                }
                if (running.wasInterruptedFromOutside()) {
                    here.interrupt(); // the caller's own interrupt, kept for it
                }
                guestLeft = true;
                return end();
            }
            Future<?> f = GuestThreads.forStack(limits.stackBytes()).submit(() -> execute(body));
            try {
                return await(f);
            } finally {
                guestLeft = f.isDone();
            }
        } finally {
            watchdog.unwatch(w);
        }
    }

    /**
     * Whether the guest's code is known to have stopped running when {@link #run} returned: false
     * where it did not stop within the grace time after a stop (it may still be running, and
     * touching its memory).
     */
    public boolean guestLeft() {
        return guestLeft;
    }

    public long[] results() {
        long[] r = results;
        return r == null ? new long[0] : r;
    }

    /** Stops the work from any thread. */
    public void stop(LimitKind kind, String message) {
        mediator.requestStop(kind, message);
        running.interrupt();
    }

    private void execute(Body body) {
        running.enter();
        try {
            mediator.checkNotStopped();
            long[] r = body.run();
            results = r;
            end = Traps.End.ok();
        } catch (Throwable t) {
            if (Boolean.getBoolean("airlock.debug")) {
                t.printStackTrace();
            }
            if (t instanceof Error
                    && !(t instanceof StackOverflowError)
                    && !(t instanceof OutOfMemoryError)) {
                end = Traps.internal(t);
            } else {
                end = Traps.classify(t, mediator, limits, memoryBytes.getAsLong());
            }
        } finally {
            running.exit();
        }
    }

    private Traps.End end() {
        Traps.End e = end;
        return e != null ? e : new Traps.End(Status.ERROR, null, null, "internal error: no result");
    }

    private Traps.End await(Future<?> future) {
        try {
            return awaitLoop(future);
        } finally {
            if (callerInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean callerInterrupted;
    private boolean guestLeft;

    private Traps.End awaitLoop(Future<?> future) {
        while (true) {
            try {
                future.get(50, TimeUnit.MILLISECONDS);
                return end();
            } catch (TimeoutException e) {
                if (mediator.stopKind() != null) {
                    try {
                        future.get(GRACE_MILLIS, TimeUnit.MILLISECONDS);
                        return end();
                    } catch (TimeoutException stuck) {
                        return Traps.End.limit(mediator.stopKind(), mediator.stopMessage());
                    } catch (InterruptedException | ExecutionException other) {
                        return Traps.End.limit(mediator.stopKind(), mediator.stopMessage());
                    }
                }
            } catch (InterruptedException e) {
                // remembered and restored once the guest is done; asking again would spin
                callerInterrupted = true;
                stop(LimitKind.INTERRUPTED, RunningThread.CALLER_INTERRUPTED);
            } catch (ExecutionException e) {
                return Traps.internal(e.getCause());
            }
        }
    }
}
