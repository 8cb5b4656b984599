package dev.airlock.audit.store;

import java.time.Duration;
import java.util.Objects;

/**
 * A tenant's ceilings (the most a request may ask for) and quotas.
 *
 * @param maxTimeout the largest timeout a request may ask for
 * @param maxMemoryBytes the largest memory cap
 * @param maxOutputBytes the largest output cap
 * @param maxFuel the largest fuel budget
 * @param maxConcurrentRuns executions running at once
 * @param maxRunsPerMinute executions started in any minute
 */
public record TenantLimits(
        Duration maxTimeout,
        long maxMemoryBytes,
        long maxOutputBytes,
        long maxFuel,
        int maxConcurrentRuns,
        int maxRunsPerMinute) {
    private static final TenantLimits DEFAULTS =
            new TenantLimits(Duration.ofSeconds(60), 1L << 30, 16L << 20, 10_000_000_000L, 4, 600);

    /**
     * @throws IllegalArgumentException if a value is not positive (or the timeout is below 1 ms)
     */
    public TenantLimits {
        Objects.requireNonNull(maxTimeout, "maxTimeout");
        if (maxTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("maxTimeout must be at least 1 ms");
        }
        positive(maxMemoryBytes, "maxMemoryBytes");
        positive(maxOutputBytes, "maxOutputBytes");
        positive(maxFuel, "maxFuel");
        positive(maxConcurrentRuns, "maxConcurrentRuns");
        positive(maxRunsPerMinute, "maxRunsPerMinute");
    }

    private static void positive(long v, String name) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + v);
        }
    }

    /** 60 s, 1 GiB, 16 MiB, 10^10 fuel, 4 at once, 600 per minute. */
    public static TenantLimits defaults() {
        return DEFAULTS;
    }

    public TenantLimits withMaxTimeout(Duration v) {
        return new TenantLimits(
                v, maxMemoryBytes, maxOutputBytes, maxFuel, maxConcurrentRuns, maxRunsPerMinute);
    }

    public TenantLimits withMaxMemoryBytes(long v) {
        return new TenantLimits(
                maxTimeout, v, maxOutputBytes, maxFuel, maxConcurrentRuns, maxRunsPerMinute);
    }

    public TenantLimits withMaxOutputBytes(long v) {
        return new TenantLimits(
                maxTimeout, maxMemoryBytes, v, maxFuel, maxConcurrentRuns, maxRunsPerMinute);
    }

    public TenantLimits withMaxFuel(long v) {
        return new TenantLimits(
                maxTimeout, maxMemoryBytes, maxOutputBytes, v, maxConcurrentRuns, maxRunsPerMinute);
    }

    public TenantLimits withMaxConcurrentRuns(int v) {
        return new TenantLimits(
                maxTimeout, maxMemoryBytes, maxOutputBytes, maxFuel, v, maxRunsPerMinute);
    }

    public TenantLimits withMaxRunsPerMinute(int v) {
        return new TenantLimits(
                maxTimeout, maxMemoryBytes, maxOutputBytes, maxFuel, maxConcurrentRuns, v);
    }
}
