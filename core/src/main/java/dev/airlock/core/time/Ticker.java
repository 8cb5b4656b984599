package dev.airlock.core.time;

/**
 * A source of monotonic nanoseconds, injected so that tests can advance time instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {
    long nanos();

    /** {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
