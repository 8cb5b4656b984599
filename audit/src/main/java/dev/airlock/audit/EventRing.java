package dev.airlock.audit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Events and control markers, in a ring that guests fill and the trail's writer empties: a guest
 * claims a slot with one atomic increment and publishes its item there with a release store; the
 * writer takes published slots in order, clears them and then advances {@code consumed}, which
 * frees them for the guests. The guest never wakes the writer, which looks every write interval.
 */
final class EventRing {
    private static final int RING = 65_536;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private final Object[] ring = new Object[RING];
    private final AtomicLong claimed = new AtomicLong();
    private volatile long consumed;

    /**
     * Puts an item in the ring; when the ring is full the caller waits for {@code writer} (events
     * are never dropped).
     *
     * @throws IllegalStateException if the ring is full and the writer has stopped
     */
    void put(Object item, Thread writer) {
        long i = claimed.getAndIncrement();
        while (i - consumed >= RING) {
            if (!writer.isAlive()) {
                throw new IllegalStateException("audit trail writer stopped");
            }
            LockSupport.unpark(writer);
            LockSupport.parkNanos(100_000);
        }
        SLOT.setRelease(ring, (int) (i & (RING - 1)), item);
    }

    /** Moves published items, in order, into {@code into}; returns how many. Writer only. */
    int take(Object[] into) {
        long h = consumed;
        int n = 0;
        while (n < into.length) {
            int slot = (int) (h & (RING - 1));
            Object o = SLOT.getAcquire(ring, slot);
            if (o == null) {
                break; // not published yet (or nothing more)
            }
            ring[slot] = null; // made visible to guests by the volatile write of consumed
            into[n++] = o;
            h++;
        }
        if (n > 0) {
            consumed = h;
        }
        return n;
    }
}
