package dev.airlock.server.service;

import dev.airlock.audit.store.TenantLimits;
import dev.airlock.core.time.Ticker;
import dev.airlock.server.api.ApiException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Per-tenant quotas: executions running at once, and executions started in any sliding minute. Time
 * comes from a {@link Ticker}, so tests advance it instead of sleeping. Thread-safe.
 */
final class Quotas {
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final Ticker ticker;
    private final Map<String, State> tenants = new HashMap<>();

    Quotas(Ticker ticker) {
        this.ticker = ticker;
    }

    /** One tenant's counters. */
    private static final class State {
        int running;
        final ArrayDeque<Long> starts = new ArrayDeque<>();
    }

    /** A running execution's place; closing it frees the place. Idempotent. */
    final class Permit implements AutoCloseable {
        private final String tenant;
        private boolean closed;

        private Permit(String tenant) {
            this.tenant = tenant;
        }

        @Override
        public void close() {
            synchronized (Quotas.this) {
                if (!closed) {
                    closed = true;
                    tenants.get(tenant).running--;
                }
            }
        }
    }

    /**
     * Takes a place for one execution.
     *
     * @throws ApiException 429 with the seconds to wait when a quota is exhausted
     */
    synchronized Permit acquire(String tenant, TenantLimits limits) {
        State s = tenants.computeIfAbsent(tenant, t -> new State());
        long now = ticker.nanos();
        while (!s.starts.isEmpty() && now - s.starts.peekFirst() >= MINUTE) {
            s.starts.pollFirst();
        }
        if (s.running >= limits.maxConcurrentRuns()) {
            throw ApiException.tooManyRequests(
                    "tenant "
                            + tenant
                            + " already runs "
                            + s.running
                            + " executions (at most "
                            + limits.maxConcurrentRuns()
                            + " at once)",
                    1);
        }
        if (s.starts.size() >= limits.maxRunsPerMinute()) {
            long waitNanos = MINUTE - (now - s.starts.peekFirst());
            throw ApiException.tooManyRequests(
                    "tenant "
                            + tenant
                            + " started "
                            + s.starts.size()
                            + " executions in the last minute (at most "
                            + limits.maxRunsPerMinute()
                            + ")",
                    (waitNanos + 999_999_999L) / 1_000_000_000L);
        }
        s.running++;
        s.starts.addLast(now);
        return new Permit(tenant);
    }
}
