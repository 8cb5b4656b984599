package dev.airlock.server.service;

import dev.airlock.core.Size;
import dev.airlock.core.time.Ticker;
import dev.airlock.server.api.ApiException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Memory admission: guests live on the server's heap, so every run and every open session reserves
 * what it may use (its memory limit) against one server-wide budget, and against a per-tenant total
 * within it, before it starts; the reservation is released when the run ends or the session closes.
 * A request that does not fit the tenant's total is refused at once with 429 (the tenant's own
 * doing); one that does not fit the server's budget waits up to a short bounded time for others to
 * release, then is refused with 503. One tenant can therefore never take more than its total, and
 * all of them together never more than the budget, so the heap keeps room for the server itself
 * ({@code /healthz}, the watchdog, other tenants' small runs). Thread-safe.
 */
final class MemoryBudget {
    private final long total;
    private final long perTenant;
    private final long waitNanos;
    private final Ticker ticker;
    private final Map<String, Long> byTenant = new HashMap<>();
    private long used;
    private int waiting;

    /**
     * @param total the server-wide budget in bytes
     * @param perTenant the most one tenant may hold, in bytes (at most {@code total})
     * @param wait how long a request that does not fit waits before it is refused
     * @param ticker time for that wait
     */
    MemoryBudget(long total, long perTenant, Duration wait, Ticker ticker) {
        if (total <= 0 || perTenant <= 0 || perTenant > total) {
            throw new IllegalArgumentException(
                    "memory budget " + total + " and tenant total " + perTenant + " do not fit");
        }
        this.total = total;
        this.perTenant = perTenant;
        this.waitNanos = wait.toNanos();
        this.ticker = ticker;
    }

    /** Memory held for one run or session; closing it gives it back. Idempotent. */
    final class Reservation implements AutoCloseable {
        private final String tenant;
        private final long bytes;
        private boolean closed;

        private Reservation(String tenant, long bytes) {
            this.tenant = tenant;
            this.bytes = bytes;
        }

        @Override
        public void close() {
            synchronized (MemoryBudget.this) {
                if (!closed) {
                    closed = true;
                    used -= bytes;
                    byTenant.computeIfPresent(tenant, (t, b) -> b == bytes ? null : b - bytes);
                    MemoryBudget.this.notifyAll();
                }
            }
        }
    }

    /**
     * Reserves {@code bytes} for the tenant, waiting up to the configured time for them.
     *
     * @throws ApiException 400 when the amount can never fit (above the tenant total), 429 when the
     *     tenant's total is still in use after the wait, 503 when the server's budget is
     */
    synchronized Reservation reserve(String tenant, long bytes) {
        admissible(bytes);
        long mine = byTenant.getOrDefault(tenant, 0L);
        if (mine + bytes > perTenant) {
            // the tenant's own doing: refused at once, it does not hold up anyone
            throw tenantFull(tenant, mine, bytes);
        }
        long deadline = ticker.nanos() + waitNanos;
        while (used + bytes > total) {
            long left = deadline - ticker.nanos();
            if (left <= 0) {
                throw serverFull(bytes);
            }
            waiting++;
            try {
                wait(Math.max(1, (left + 999_999) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw serverFull(bytes);
            } finally {
                waiting--;
            }
            mine = byTenant.getOrDefault(tenant, 0L);
            if (mine + bytes > perTenant) {
                throw tenantFull(tenant, mine, bytes);
            }
        }
        used += bytes;
        byTenant.put(tenant, mine + bytes);
        return new Reservation(tenant, bytes);
    }

    /**
     * Checks that {@code bytes} could ever be reserved, before a request waits in a queue.
     *
     * @return {@code bytes}
     * @throws ApiException 400 when they are above the tenant total
     */
    long admissible(long bytes) {
        if (bytes > perTenant) {
            throw ApiException.badRequest(
                    "limits.memoryBytes "
                            + Size.format(bytes)
                            + " is above the "
                            + Size.format(perTenant)
                            + " a tenant may hold on this server");
        }
        return bytes;
    }

    private ApiException serverFull(long bytes) {
        return ApiException.unavailable(
                "the server's memory is in use ("
                        + Size.format(used)
                        + " of "
                        + Size.format(total)
                        + " reserved by running executions and open sessions); "
                        + Size.format(bytes)
                        + " do not fit now",
                1);
    }

    private ApiException tenantFull(String tenant, long mine, long bytes) {
        return ApiException.tooManyRequests(
                "tenant "
                        + tenant
                        + " holds "
                        + Size.format(mine)
                        + " of its "
                        + Size.format(perTenant)
                        + " memory total in running executions and open sessions; "
                        + Size.format(bytes)
                        + " more do not fit: close a session or wait",
                5);
    }

    /** Bytes reserved now, all tenants together. */
    synchronized long used() {
        return used;
    }

    /** Bytes the tenant holds now. */
    synchronized long used(String tenant) {
        return byTenant.getOrDefault(tenant, 0L);
    }

    /** Requests waiting for memory now. */
    synchronized int waiting() {
        return waiting;
    }

    /** Wakes the waiting requests to look at the time again (tests that move a fake clock). */
    synchronized void wake() {
        notifyAll();
    }
}
