package dev.airlock.core.fuel;

/**
 * The metering pass refused a module: it is malformed, or it uses a feature the pass does not meter
 * (exception handling, typed function references, garbage collection, threads, 64-bit memories).
 * The message names the problem and, where known, the function and byte offset.
 */
public final class MeteringException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MeteringException(String message) {
        super(message);
    }
}
