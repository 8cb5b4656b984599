package dev.airlock.core.event;

import java.util.Map;

/**
 * One guest-to-host call, allowed or denied.
 *
 * @param seq position in the run
 * @param timeMillis when the call started
 * @param runId the run
 * @param sessionId the session the run belongs to, or {@code null} for a run outside sessions
 * @param moduleSha256 the guest module
 * @param call {@code module.function}, for example {@code wasi_snapshot_preview1.path_open}
 * @param args a summary of the arguments (descriptors, paths, sizes, counts; never whole buffers)
 * @param decision the policy decision
 * @param rule the rule that decided, such as {@code net.sockets}; {@code null} for a plain allow
 * @param result the WASI errno or returned value; {@code null} when the call ended the run
 * @param durationNanos time spent in the host
 */
public record HostCallEvent(
        long seq,
        long timeMillis,
        String runId,
        String sessionId,
        String moduleSha256,
        String call,
        Map<String, Object> args,
        Decision decision,
        String rule,
        Long result,
        long durationNanos)
        implements Event {

    /** An event of a run outside sessions ({@code sessionId} {@code null}). */
    public HostCallEvent(
            long seq,
            long timeMillis,
            String runId,
            String moduleSha256,
            String call,
            Map<String, Object> args,
            Decision decision,
            String rule,
            Long result,
            long durationNanos) {
        this(
                seq,
                timeMillis,
                runId,
                null,
                moduleSha256,
                call,
                args,
                decision,
                rule,
                result,
                durationNanos);
    }
}
