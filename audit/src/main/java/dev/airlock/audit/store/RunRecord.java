package dev.airlock.audit.store;

import dev.airlock.core.Denial;
import dev.airlock.core.Outcome;
import dev.airlock.core.Status;
import dev.airlock.core.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A run as the {@link Store} keeps it: its {@link Outcome} with when it ran and for whom.
 *
 * @param runId the run id (the one its audit events carry)
 * @param startedAt when it started (millisecond precision)
 * @param endedAt when it ended (millisecond precision)
 * @param moduleSha256 hex SHA-256 of the module, or {@code null} if unknown
 * @param status how it ended
 * @param kind the trap, limit or rejection kind, or {@code null}
 * @param exitCode the exit code, or {@code null}
 * @param message the outcome's one-line message
 * @param usage what it consumed
 * @param denials the policy denials it met
 * @param tenantId the tenant it ran for, or {@code null}
 * @param sessionId the session it belongs to, or {@code null}
 * @param origin the request and trace that made it ({@link RunOrigin#NONE} if none)
 */
public record RunRecord(
        String runId,
        Instant startedAt,
        Instant endedAt,
        String moduleSha256,
        Status status,
        String kind,
        Integer exitCode,
        String message,
        Usage usage,
        List<Denial> denials,
        String tenantId,
        String sessionId,
        RunOrigin origin) {

    public RunRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(usage, "usage");
        denials = List.copyOf(denials);
        origin = origin == null ? RunOrigin.NONE : origin;
    }

    /** A run made outside any request. */
    public RunRecord(
            String runId,
            Instant startedAt,
            Instant endedAt,
            String moduleSha256,
            Status status,
            String kind,
            Integer exitCode,
            String message,
            Usage usage,
            List<Denial> denials,
            String tenantId,
            String sessionId) {
        this(
                runId,
                startedAt,
                endedAt,
                moduleSha256,
                status,
                kind,
                exitCode,
                message,
                usage,
                denials,
                tenantId,
                sessionId,
                RunOrigin.NONE);
    }

    /** The run's outcome as {@link dev.airlock.core.Airlock#run} returned it. */
    public Outcome outcome() {
        return new Outcome(status, exitCode, kind, message, usage, denials, moduleSha256);
    }
}
