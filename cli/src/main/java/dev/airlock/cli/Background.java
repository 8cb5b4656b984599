package dev.airlock.cli;

/**
 * Work a command starts on a daemon thread so that it overlaps the command's own (first uses of the
 * store, loading an interpreter): the process never waits for it to exit. The system property
 * {@code airlock.warmup=false} turns all of it off, for comparisons.
 */
final class Background {
    private Background() {}

    /** Starts {@code work} on a daemon thread named {@code name}, unless turned off. */
    static void start(String name, Runnable work) {
        if ("false".equals(System.getProperty("airlock.warmup"))) {
            return;
        }
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
    }
}
