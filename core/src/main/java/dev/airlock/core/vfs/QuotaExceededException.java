package dev.airlock.core.vfs;

/** The virtual filesystem holds more than its quota allows. */
public final class QuotaExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QuotaExceededException(String message) {
        super(message);
    }
}
