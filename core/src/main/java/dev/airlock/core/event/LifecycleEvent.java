package dev.airlock.core.event;

import java.util.Map;

/**
 * A step in a run's life.
 *
 * @param seq position in the run
 * @param timeMillis when it happened
 * @param runId the run
 * @param sessionId the session the run belongs to, or {@code null} for a run outside sessions
 * @param moduleSha256 the guest module
 * @param type which step
 * @param details small facts about the step (limits, outcome status and kind, ...)
 */
public record LifecycleEvent(
        long seq,
        long timeMillis,
        String runId,
        String sessionId,
        String moduleSha256,
        Type type,
        Map<String, Object> details)
        implements Event {

    /** An event of a run outside sessions ({@code sessionId} {@code null}). */
    public LifecycleEvent(
            long seq,
            long timeMillis,
            String runId,
            String moduleSha256,
            Type type,
            Map<String, Object> details) {
        this(seq, timeMillis, runId, null, moduleSha256, type, details);
    }

    /** Lifecycle steps. */
    public enum Type {
        MODULE_ACCEPTED,
        /**
         * The module was refused before anything ran (details: the reason, such as {@code
         * unknown-import} for an import the policy does not grant, and the problem).
         */
        MODULE_REJECTED,
        INSTANCE_STARTED,
        /** A call into a long-lived instance began (details: the export). */
        CALL_STARTED,
        /** A long-lived instance was captured as a snapshot. */
        SNAPSHOT,
        /** A long-lived instance was made from a snapshot. */
        RESTORED,
        LIMIT_HIT,
        OUTCOME
    }
}
