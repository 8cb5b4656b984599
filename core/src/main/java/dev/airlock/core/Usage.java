package dev.airlock.core;

/**
 * What a run consumed.
 *
 * @param wallMillis wall time from instantiation to the end of the run
 * @param memoryPeakBytes largest linear memory size reached
 * @param stdoutBytes bytes the guest wrote to stdout (counted even past the cap)
 * @param stderrBytes bytes the guest wrote to stderr
 * @param hostCalls guest-to-host calls, allowed or denied
 */
public record Usage(
        long wallMillis, long memoryPeakBytes, long stdoutBytes, long stderrBytes, long hostCalls) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);
}
