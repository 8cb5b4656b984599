package dev.airlock.server.service;

import dev.airlock.core.event.Decision;
import dev.airlock.core.event.HostCallEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's host calls as trace spans see them: runs of consecutive calls to the same function, each
 * one batch (a guest writing 10,000 lines makes one {@code fd_write} batch, not 10,000 spans). At
 * most {@link #MAX} batches are kept; calls after that are only counted. Written by the run's
 * thread only.
 */
final class HostCallBatches {
    /** The most batches one run keeps. */
    static final int MAX = 64;

    /**
     * Consecutive calls to one function.
     *
     * @param call {@code module.function}
     * @param calls how many
     * @param denied how many of them the policy denied
     * @param startMillis when the first started
     * @param endNanos when the last ended, in nanoseconds after {@code startMillis}
     * @param hostNanos time spent in the host over all of them
     */
    record Batch(
            String call,
            long calls,
            long denied,
            long startMillis,
            long endNanos,
            long hostNanos) {}

    private final List<Batch> batches = new ArrayList<>();
    private long dropped;

    // the batch under way (call null: none)
    private String call;
    private long calls;
    private long denied;
    private long startMillis;
    private long endNanos;
    private long hostNanos;

    /** Adds a call to the batch under way if it called the same function, else starts a batch. */
    void add(HostCallEvent e) {
        if (!e.call().equals(call)) {
            close();
            if (batches.size() >= MAX) {
                dropped++;
                return;
            }
            call = e.call();
            calls = 0;
            denied = 0;
            startMillis = e.timeMillis();
            endNanos = 0;
            hostNanos = 0;
        }
        calls++;
        denied += e.decision() == Decision.DENY ? 1 : 0;
        endNanos =
                Math.max(endNanos, (e.timeMillis() - startMillis) * 1_000_000 + e.durationNanos());
        hostNanos += e.durationNanos();
    }

    private void close() {
        if (call != null) {
            batches.add(new Batch(call, calls, denied, startMillis, endNanos, hostNanos));
            call = null;
        }
    }

    /** The batches, in order (the one under way ends here). */
    List<Batch> batches() {
        close();
        return List.copyOf(batches);
    }

    /** Calls made after the last batch kept. */
    long dropped() {
        return dropped;
    }
}
