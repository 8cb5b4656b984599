package dev.airlock.core;

/**
 * A module was refused before any of its code ran: malformed, invalid, importing something no
 * policy provides, or asking for more memory than the limit allows.
 */
public final class ModuleRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final String sha256;

    public ModuleRejectedException(String reason, String message, String sha256) {
        super(message);
        this.reason = reason;
        this.sha256 = sha256;
    }

    public ModuleRejectedException(String reason, String message, String sha256, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.sha256 = sha256;
    }

    /**
     * A short machine-readable reason: {@code malformed}, {@code invalid}, {@code unknown-import},
     * {@code memory}, {@code table}, {@code no-entry-point}, {@code unreadable} or {@code
     * unmeterable} (a fuel budget was set and the metering pass cannot meter the module).
     */
    public String reason() {
        return reason;
    }

    /** Hex SHA-256 of the bytes, or {@code null} when they could not be read. */
    public String sha256() {
        return sha256;
    }

    /** This rejection as an {@link Outcome}. */
    public Outcome toOutcome() {
        return Outcome.rejected(reason, getMessage(), sha256);
    }
}
