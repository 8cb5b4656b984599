package dev.airlock.core.net;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-run limits on network requests. A request past a limit is refused (the guest sees an error
 * naming the limit, the audit trail a denial); the run goes on.
 *
 * @param maxRequests requests per run (default 100)
 * @param maxBytesOut request bytes per run: bodies, headers and URLs (default 8 MiB)
 * @param maxBytesIn response bytes per run: bodies and headers (default 32 MiB); a response that
 *     would pass it fails with "response too large" and counts what was read
 * @param requestTimeout time for one request, from connecting to the last byte of the response
 *     (default 30 s); it also counts against the run's own time limit
 * @param maxConcurrent requests under way at once (default 4)
 */
public record NetLimits(
        int maxRequests,
        long maxBytesOut,
        long maxBytesIn,
        Duration requestTimeout,
        int maxConcurrent) {
    private static final NetLimits DEFAULTS =
            new NetLimits(100, 8L << 20, 32L << 20, Duration.ofSeconds(30), 4);

    /**
     * @throws IllegalArgumentException if a count or size is negative, the timeout is not positive
     *     or longer than 10 minutes, or {@code maxConcurrent} is below 1
     */
    public NetLimits {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxRequests < 0) {
            throw new IllegalArgumentException(
                    "request limit must not be negative: " + maxRequests);
        }
        if (maxBytesOut < 0 || maxBytesIn < 0) {
            throw new IllegalArgumentException("byte limits must not be negative");
        }
        if (requestTimeout.isNegative()
                || requestTimeout.isZero()
                || requestTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException(
                    "request timeout must be above 0 and at most 10m: " + requestTimeout);
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException(
                    "concurrent request limit must be at least 1: " + maxConcurrent);
        }
    }

    public static NetLimits defaults() {
        return DEFAULTS;
    }

    /** Each limit the smaller of this one's and {@code ceiling}'s. */
    public NetLimits atMost(NetLimits ceiling) {
        return new NetLimits(
                Math.min(maxRequests, ceiling.maxRequests),
                Math.min(maxBytesOut, ceiling.maxBytesOut),
                Math.min(maxBytesIn, ceiling.maxBytesIn),
                requestTimeout.compareTo(ceiling.requestTimeout) <= 0
                        ? requestTimeout
                        : ceiling.requestTimeout,
                Math.min(maxConcurrent, ceiling.maxConcurrent));
    }

    public NetLimits withMaxRequests(int n) {
        return new NetLimits(n, maxBytesOut, maxBytesIn, requestTimeout, maxConcurrent);
    }

    public NetLimits withMaxBytesOut(long n) {
        return new NetLimits(maxRequests, n, maxBytesIn, requestTimeout, maxConcurrent);
    }

    public NetLimits withMaxBytesIn(long n) {
        return new NetLimits(maxRequests, maxBytesOut, n, requestTimeout, maxConcurrent);
    }

    public NetLimits withRequestTimeout(Duration d) {
        return new NetLimits(maxRequests, maxBytesOut, maxBytesIn, d, maxConcurrent);
    }

    public NetLimits withMaxConcurrent(int n) {
        return new NetLimits(maxRequests, maxBytesOut, maxBytesIn, requestTimeout, n);
    }
}
