package dev.airlock.core.engine.run;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * How many guest runs in this JVM have been asked to stop and have not ended yet. Compiled guest
 * code reads {@link #pending} at the back edges of its loops (see {@code InterruptChecks} in the
 * module package) and looks at its thread's interrupt flag, a call that HotSpot does not inline
 * into a huge function, only while it is not zero. Every stop of a running guest raises it before
 * interrupting the guest's thread and lowers it once that run has ended, so a stop is seen at the
 * next loop back edge as before; a thread interrupted by anything else is seen at the next call
 * instead.
 */
public final class StopGate {
    /**
     * Read by generated code only (a plain {@code getstatic} of a volatile field, no call); changed
     * through {@link #raise} and {@link #lower}.
     */
    public static volatile int pending;

    private static final VarHandle PENDING;

    static {
        try {
            PENDING =
                    MethodHandles.lookup()
                            .findStaticVarHandle(StopGate.class, "pending", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private StopGate() {}

    /** One more run asked to stop; call before interrupting its thread. */
    public static void raise() {
        PENDING.getAndAdd(1);
    }

    /** That run has ended; once for each {@link #raise}. */
    public static void lower() {
        PENDING.getAndAdd(-1);
    }
}
