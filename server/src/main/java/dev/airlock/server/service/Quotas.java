package dev.airlock.server.service;

import dev.airlock.audit.store.RunSlots;
import dev.airlock.audit.store.StoreException;
import dev.airlock.audit.store.TenantLimits;
import dev.airlock.core.time.Ticker;
import dev.airlock.server.api.ApiException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Per-tenant quotas: executions running at once, and executions started in any sliding minute. Kept
 * in this server's memory ({@link #local}), or in the shared store ({@link #shared}) so that they
 * hold across every node on it. Thread-safe.
 */
abstract class Quotas {
    /** A running execution's place; closing it frees the place. Idempotent. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes a place for one execution.
     *
     * @throws ApiException 429 with the seconds to wait when a quota is exhausted
     */
    abstract Permit acquire(String tenant, TenantLimits limits);

    /** Quotas of this server alone; time from {@code ticker}, so tests advance it. */
    static Quotas local(Ticker ticker) {
        return new Local(ticker);
    }

    /**
     * Quotas in the store, held by every node that shares it ({@link RunSlots}): a place whose node
     * dies counts until the tenant's longest timeout plus {@link #LEASE_MARGIN_MILLIS} have passed.
     */
    static Quotas shared(RunSlots slots, String nodeId, Clock clock) {
        return new Shared(slots, nodeId, clock);
    }

    /** What a place's lease adds to the tenant's longest timeout (queueing, recording). */
    static final long LEASE_MARGIN_MILLIS = 60_000;

    static ApiException running(String tenant, int running, TenantLimits limits) {
        return ApiException.tooManyRequests(
                "tenant "
                        + tenant
                        + " already runs "
                        + running
                        + " executions (at most "
                        + limits.maxConcurrentRuns()
                        + " at once)",
                1);
    }

    static ApiException perMinute(String tenant, int started, TenantLimits limits, long waitNanos) {
        return ApiException.tooManyRequests(
                "tenant "
                        + tenant
                        + " started "
                        + started
                        + " executions in the last minute (at most "
                        + limits.maxRunsPerMinute()
                        + ")",
                (waitNanos + 999_999_999L) / 1_000_000_000L);
    }

    private static final class Local extends Quotas {
        private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

        private final Ticker ticker;
        private final Map<String, State> tenants = new HashMap<>();

        Local(Ticker ticker) {
            this.ticker = ticker;
        }

        /** One tenant's counters. */
        private static final class State {
            int running;
            final ArrayDeque<Long> starts = new ArrayDeque<>();
        }

        @Override
        synchronized Permit acquire(String tenant, TenantLimits limits) {
            State s = tenants.computeIfAbsent(tenant, t -> new State());
            long now = ticker.nanos();
            while (!s.starts.isEmpty() && now - s.starts.peekFirst() >= MINUTE) {
                s.starts.pollFirst();
            }
            if (s.running >= limits.maxConcurrentRuns()) {
                throw running(tenant, s.running, limits);
            }
            if (s.starts.size() >= limits.maxRunsPerMinute()) {
                throw perMinute(
                        tenant, s.starts.size(), limits, MINUTE - (now - s.starts.peekFirst()));
            }
            s.running++;
            s.starts.addLast(now);
            boolean[] closed = new boolean[1];
            return () -> {
                synchronized (Local.this) {
                    if (!closed[0]) {
                        closed[0] = true;
                        s.running--;
                    }
                }
            };
        }
    }

    private static final class Shared extends Quotas {
        private final RunSlots slots;
        private final String nodeId;
        private final Clock clock;

        Shared(RunSlots slots, String nodeId, Clock clock) {
            this.slots = slots;
            this.nodeId = nodeId;
            this.clock = clock;
        }

        @Override
        Permit acquire(String tenant, TenantLimits limits) {
            RunSlots.Decision d;
            try {
                d =
                        slots.acquire(
                                tenant,
                                limits.maxConcurrentRuns(),
                                limits.maxRunsPerMinute(),
                                limits.maxTimeout().toMillis() + LEASE_MARGIN_MILLIS,
                                nodeId,
                                clock.millis());
            } catch (StoreException e) {
                throw new UncheckedIOException(e);
            }
            if (d instanceof RunSlots.TooManyRunning r) {
                throw running(tenant, r.running(), limits);
            }
            if (d instanceof RunSlots.TooManyPerMinute m) {
                throw perMinute(
                        tenant,
                        m.started(),
                        limits,
                        TimeUnit.MILLISECONDS.toNanos(m.retryAfterMillis()));
            }
            String slot = ((RunSlots.Granted) d).slotId();
            boolean[] closed = new boolean[1];
            return () -> {
                synchronized (closed) {
                    if (closed[0]) {
                        return;
                    }
                    closed[0] = true;
                }
                try {
                    slots.release(slot);
                } catch (StoreException e) {
                    // the place counts until its lease ends
                    System.getLogger("airlock.server")
                            .log(
                                    System.Logger.Level.WARNING,
                                    "cannot free a run slot; it counts until its lease ends: "
                                            + e.getMessage());
                }
            };
        }
    }
}
