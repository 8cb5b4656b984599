package dev.airlock.server.http;

/** Test access to {@link EventStream}'s UTF-8 boundary rule. */
public final class EventStreamAccess {
    private EventStreamAccess() {}

    public static int completeUpTo(byte[] b) {
        return EventStream.completeUpTo(b);
    }
}
