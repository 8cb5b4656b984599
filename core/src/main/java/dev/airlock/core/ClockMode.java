package dev.airlock.core;

/** What the guest's clocks show. */
public enum ClockMode {
    /** The host's clocks, truncated to millisecond resolution (the default). */
    REAL,
    /** Wall clock fixed at 2000-01-01T00:00:00Z and a monotonic clock fixed at 0. */
    FROZEN,
    /** Every clock call fails with {@code ENOTCAPABLE} and is recorded as a denial. */
    DENY
}
