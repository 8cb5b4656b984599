package dev.airlock.core.event;

/**
 * Receives a run's events. Called on the guest's thread, in order; an implementation must be quick
 * and must not throw (an exception is reported as an Airlock error outcome).
 */
@FunctionalInterface
public interface EventSink {
    void accept(Event event);

    /** A sink that drops everything; always the same object. */
    static EventSink none() {
        return Nothing.NONE;
    }

    /** Holder of the shared {@link #none()} sink. */
    final class Nothing {
        static final EventSink NONE = e -> {};

        private Nothing() {}
    }
}
