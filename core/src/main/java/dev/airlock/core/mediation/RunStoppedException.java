package dev.airlock.core.mediation;

import dev.airlock.core.LimitKind;

/**
 * Thrown on the guest's thread to end a run at a limit. Guests cannot catch it: it unwinds through
 * the engine to the runner, which turns it into a {@link dev.airlock.core.Status#LIMIT} outcome.
 */
public final class RunStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient LimitKind kind;

    public RunStoppedException(LimitKind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public LimitKind kind() {
        return kind;
    }
}
