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
 * @param startMillis time spent making the sandbox ready before the guest's own run started
 *     (starting or restoring an interpreter), outside {@code wallMillis} and outside the run's time
 *     limit; 0 when nothing had to be started
 */
public record Usage(
        long wallMillis,
        long memoryPeakBytes,
        long stdoutBytes,
        long stderrBytes,
        long hostCalls,
        long fuel,
        long startMillis) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0, -1, 0);

    /** A usage with nothing to start. */
    public Usage(
            long wallMillis,
            long memoryPeakBytes,
            long stdoutBytes,
            long stderrBytes,
            long hostCalls,
            long fuel) {
        this(wallMillis, memoryPeakBytes, stdoutBytes, stderrBytes, hostCalls, fuel, 0);
    }

    /** A usage of a run without a fuel budget. */
    public Usage(
            long wallMillis,
            long memoryPeakBytes,
            long stdoutBytes,
            long stderrBytes,
            long hostCalls) {
        this(wallMillis, memoryPeakBytes, stdoutBytes, stderrBytes, hostCalls, -1, 0);
    }

    /** This usage with {@code startMillis} of start-up. */
    public Usage withStartMillis(long startMillis) {
        return new Usage(
                wallMillis,
                memoryPeakBytes,
                stdoutBytes,
                stderrBytes,
                hostCalls,
                fuel,
                startMillis);
    }

    /** Whether the run was metered, that is, {@link #fuel()} is meaningful. */
    public boolean metered() {
        return fuel >= 0;
    }
}
