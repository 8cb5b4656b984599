package dev.airlock.core.engine.run;

/**
 * The thread that runs one guest run, and the one way to interrupt it. Compiled loops look at their
 * thread's interrupt flag only while {@link StopGate} says a stop is pending, so every stop goes
 * through {@link #interrupt}, which raises the gate (once) before interrupting; {@link #exit}
 * lowers it again. An interrupt of the thread by anyone else (a caller interrupting its own thread
 * during an in-place run, a pool shut down) is found by {@link #interruptedFromOutside}, which the
 * watchdog polls, and turned into a stop by the caller.
 */
public final class RunningThread {
    /** The message of a run stopped because its caller's thread was interrupted. */
    public static final String CALLER_INTERRUPTED =
            "limit exceeded: interrupted (caller interrupted)";

    private final Object lock = new Object();
    private Thread thread;
    private boolean done;
    private boolean gateRaised;
    private boolean fromOutside;

    /** On the guest's thread, as the run starts: an interrupt left from before is cleared. */
    public void enter() {
        synchronized (lock) {
            thread = Thread.currentThread();
            Thread.interrupted();
        }
    }

    /** On the guest's thread, as the run ends (whichever way): the flag is cleared. */
    public void exit() {
        synchronized (lock) {
            done = true;
            thread = null;
            Thread.interrupted();
            if (gateRaised) {
                gateRaised = false;
                StopGate.lower();
            }
        }
    }

    /** Interrupts the run's thread if it is running (any thread may call this). */
    public void interrupt() {
        synchronized (lock) {
            if (!done && thread != null) {
                if (!gateRaised) {
                    gateRaised = true;
                    StopGate.raise();
                }
                thread.interrupt();
            }
        }
    }

    /**
     * Whether the running thread's interrupt flag was set by someone other than {@link #interrupt};
     * remembered for {@link #wasInterruptedFromOutside}. Allocates nothing.
     */
    public boolean interruptedFromOutside() {
        synchronized (lock) {
            if (!done && thread != null && !gateRaised && thread.isInterrupted()) {
                fromOutside = true;
                return true;
            }
            return false;
        }
    }

    /**
     * Whether {@link #interruptedFromOutside} ever found such an interrupt: an in-place run then
     * sets its caller's flag again when it ends.
     */
    public boolean wasInterruptedFromOutside() {
        synchronized (lock) {
            return fromOutside;
        }
    }
}
