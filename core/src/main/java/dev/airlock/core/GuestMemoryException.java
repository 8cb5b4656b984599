package dev.airlock.core;

/**
 * A host function asked for guest memory outside the guest's linear memory (or the guest has no
 * memory). Thrown by {@link GuestMemory} before anything is copied; host functions are expected to
 * catch it and return their own error code (one that escapes ends the run as an internal error).
 */
public final class GuestMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long address;
    private final long length;

    public GuestMemoryException(long address, long length, long size) {
        super(
                "guest memory access out of bounds: "
                        + length
                        + " byte(s) at "
                        + address
                        + " (memory size "
                        + size
                        + ")");
        this.address = address;
        this.length = length;
    }

    /** The first address asked for. */
    public long address() {
        return address;
    }

    /** The number of bytes asked for. */
    public long length() {
        return length;
    }
}
