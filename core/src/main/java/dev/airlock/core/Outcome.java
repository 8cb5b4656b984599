package dev.airlock.core;

import java.util.List;
import java.util.Objects;

/**
 * The typed result of a run. Every run ends in exactly one outcome; the CLI, HTTP and MCP layers
 * map its {@link Status} one to one.
 *
 * @param status how the run ended
 * @param exitCode the guest's exit code for {@link Status#OK} (0) and {@link Status#EXIT}; {@code
 *     null} otherwise
 * @param kind for {@link Status#TRAP} a {@link TrapKind#id()}, for {@link Status#LIMIT} a {@link
 *     LimitKind#id()}, for {@link Status#REJECTED} the reason ({@code malformed}, {@code invalid},
 *     {@code unknown-import}, {@code memory}, {@code table}, {@code no-entry-point}, {@code
 *     unmeterable}); else {@code null}
 * @param message one human-readable line, such as {@code limit exceeded: time (1s)}
 * @param usage what the run consumed
 * @param denials the policy denials the guest met, in order (at most 100 are kept)
 * @param moduleSha256 hex SHA-256 of the module bytes, or {@code null} if unknown
 */
public record Outcome(
        Status status,
        Integer exitCode,
        String kind,
        String message,
        Usage usage,
        List<Denial> denials,
        String moduleSha256) {

    public Outcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(usage, "usage");
        denials = List.copyOf(denials);
    }

    /** An outcome for a module refused before running. */
    public static Outcome rejected(String reason, String message, String sha256) {
        return new Outcome(
                Status.REJECTED,
                null,
                reason,
                "module rejected: " + message,
                Usage.NONE,
                List.of(),
                sha256);
    }

    /** This outcome with {@code usage} instead of its own. */
    public Outcome withUsage(Usage usage) {
        return new Outcome(status, exitCode, kind, message, usage, denials, moduleSha256);
    }

    /** True for {@link Status#OK}. */
    public boolean isOk() {
        return status == Status.OK;
    }

    /** The trap kind, or {@code null} unless {@link Status#TRAP}. */
    public TrapKind trapKind() {
        if (status != Status.TRAP) {
            return null;
        }
        for (TrapKind k : TrapKind.values()) {
            if (k.id().equals(kind)) {
                return k;
            }
        }
        return TrapKind.OTHER;
    }

    /** The limit kind, or {@code null} unless {@link Status#LIMIT}. */
    public LimitKind limitKind() {
        if (status != Status.LIMIT) {
            return null;
        }
        for (LimitKind k : LimitKind.values()) {
            if (k.id().equals(kind)) {
                return k;
            }
        }
        throw new IllegalStateException("unknown limit kind " + kind);
    }
}
