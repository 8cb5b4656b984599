package dev.airlock.core;

/**
 * What a run consumed.
 *
 * @param wallMillis wall time from instantiation to the end of the run
 * @param memoryPeakBytes largest linear memory size reached
 * @param stdoutBytes bytes the guest wrote to stdout (counted even past the cap)
 * @param stderrBytes bytes the guest wrote to stderr
 * @param hostCalls guest-to-host calls, allowed or denied
 * @param fuel fuel used, when the run had a {@linkplain Limits#fuel() fuel budget} (the whole
 *     budget when it ran out); -1 when it had none
 */
public record Usage(
        long wallMillis,
        long memoryPeakBytes,
        long stdoutBytes,
        long stderrBytes,
        long hostCalls,
        long fuel) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0, -1);

    /** A usage of a run without a fuel budget. */
    public Usage(
            long wallMillis,
            long memoryPeakBytes,
            long stdoutBytes,
            long stderrBytes,
            long hostCalls) {
        this(wallMillis, memoryPeakBytes, stdoutBytes, stderrBytes, hostCalls, -1);
    }

    /** Whether the run was metered, that is, {@link #fuel()} is meaningful. */
    public boolean metered() {
        return fuel >= 0;
    }
}
