package dev.airlock.core;

/** A host-side access to guest memory outside its bounds; the guest's call fails with a trap. */
public final class GuestMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GuestMemoryException(String message) {
        super(message);
    }
}
