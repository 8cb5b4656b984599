package dev.airlock.audit;

import dev.airlock.core.Outcome;
import java.util.Objects;

/**
 * A run's outcome as it is recorded, sealed into the chain as a {@code run} record so that the
 * store's runs table can be checked against it.
 *
 * @param runId the run id
 * @param sessionId the run's session, or {@code null}
 * @param timeMillis when it was recorded
 * @param status the status id ({@link dev.airlock.core.Status#id()})
 * @param kind the trap, limit or rejection kind, or {@code null}
 * @param exitCode the exit code, or {@code null}
 * @param message the outcome's message
 */
public record RunOutcome(
        String runId,
        String sessionId,
        long timeMillis,
        String status,
        String kind,
        Integer exitCode,
        String message) {
    public RunOutcome {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }

    /** The outcome of run {@code runId} recorded at {@code timeMillis}. */
    public static RunOutcome of(String runId, String sessionId, long timeMillis, Outcome o) {
        return new RunOutcome(
                runId, sessionId, timeMillis, o.status().id(), o.kind(), o.exitCode(), o.message());
    }
}
