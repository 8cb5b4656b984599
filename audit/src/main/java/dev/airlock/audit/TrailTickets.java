package dev.airlock.audit;

/**
 * The tickets of an {@link AuditTrail}'s {@code flush()} and {@code sync()} calls and how far its
 * writer has got: a caller takes a ticket, puts its marker in the ring and waits until the writer
 * has taken that many markers.
 */
final class TrailTickets {
    /**
     * A caller's place: the flushes the writer must have sealed (0: none) and the markers it must
     * have written.
     */
    record Ticket(long sealed, long written) {}

    private long requested;
    private long completed;
    private long writesRequested;
    private long writesCompleted;

    /** A ticket for what is written, not sealed. */
    synchronized Ticket sync() {
        return new Ticket(0, ++writesRequested);
    }

    /** A ticket for what is written and sealed. */
    synchronized Ticket flush() {
        long ticket = ++requested;
        long writes = ++writesRequested;
        return new Ticket(ticket, writes);
    }

    /**
     * Waits until the writer has passed {@code t} or stopped (or the waiting thread is
     * interrupted). Tickets are taken in order but markers may reach the ring in another: when
     * {@code n} markers have been taken, at least one was put after the waiter's ticket, so after
     * the waiter's events.
     */
    synchronized void await(Ticket t, Thread writer) {
        while (!(completed >= t.sealed() && writesCompleted >= t.written()) && writer.isAlive()) {
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    /** The writer took {@code flushes} flush markers among {@code writes} markers, and wrote. */
    synchronized void passed(int flushes, int writes) {
        completed += flushes;
        writesCompleted += writes;
        notifyAll();
    }

    /** The writer stopped: nobody waits any more. */
    synchronized void stopped() {
        completed = requested;
        writesCompleted = writesRequested;
        notifyAll();
    }
}
