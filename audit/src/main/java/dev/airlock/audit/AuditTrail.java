package dev.airlock.audit;

import dev.airlock.core.event.Event;
import dev.airlock.core.event.EventSink;
import dev.airlock.core.event.LifecycleEvent;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * An {@link EventSink} that seals events into a hash chain and writes them in batches from its own
 * thread, so the guest pays only for a queue insertion (an atomic increment and an array store).
 * The writer encodes each record straight to UTF-8 bytes, hashes those bytes in place and hands
 * them to the sink as they are.
 *
 * <p>Signed checkpoints are due every {@code checkpointEvery} records and after a run's outcome
 * (its {@code OUTCOME} event or its {@link #acceptOutcome run record}; the checkpoint comes after
 * everything the writer took with it), but come at most once per {@code runCheckpointGap} (default
 * 100 ms: an Ed25519 signature costs about a millisecond, so signing takes at most about 1% of the
 * writer's time); a checkpoint that is due within the gap is made as soon as the gap has passed (at
 * the next record, or as soon as the writer is idle). {@link #flush()} and {@link #close()} always
 * seal. The records of a trail on a store's writer chain ({@code Store.chain()}) name that writer,
 * and its checkpoints sign it.
 *
 * <p>Guarantee: the writer looks for new events every {@code writeInterval} (default 10 ms) and
 * hands what it finds to the sink at once, in batches of at most 1,024 records. The guest never
 * wakes it (a woken writer tends to take the guest's core at once), so the events of a run shorter
 * than the interval are mostly sealed after it ends rather than while it runs; {@link #close()} and
 * {@link #flush()} write and seal everything, so nothing is lost on a normal exit that closes the
 * trail. If the process dies (kill -9), what is lost is at most the events not yet handed to the
 * sink: those accepted in the last write interval, plus the batch being written (more only when the
 * guest outruns the writer and the queue holds a backlog); everything the sink received still
 * verifies, up to its last checkpoint as sealed and after it as an unsealed but unbroken tail. When
 * the queue holds 65,536 events the guest waits (events are never dropped). If the sink fails, or
 * the writer meets an unexpected error, nothing more is written and every later {@link #flush()}
 * and {@link #close()} throws the failure.
 */
public final class AuditTrail implements EventSink, AutoCloseable {
    private static final Object FLUSH = new Object();
    private static final Object SYNC = new Object();
    private static final Object STOP = new Object();

    private final TrailSink sink;
    private final Clock clock;
    private final int checkpointEvery;
    private final int batchSize;
    private final HashChain chain;

    /** Events and control markers, from the guests to the writer. */
    private final EventRing ring = new EventRing();

    private final Thread writer;

    /** Tickets of {@link #flush()} (sealed) and of every marker (written). */
    private final TrailTickets tickets = new TrailTickets();

    private long sinceCheckpoint;
    private long lastCheckpointMillis;
    private boolean runEnded;
    private final SealedBatch batch = new SealedBatch();
    private final TrailSealer sealer;

    /** Signing costs about a millisecond: due checkpoints are at least this far apart. */
    private final long checkpointGapMillis;

    private final long writeIntervalNanos;

    private volatile IOException failure;
    private volatile boolean closed;

    /**
     * @param sink where sealed records go
     * @param keys the checkpoint signing key
     * @param chain the chain to continue ({@link HashChain#start()} for a new trail)
     * @param checkpointEvery records after which a checkpoint is due (one is also due after each
     *     run); at least 1
     */
    public AuditTrail(TrailSink sink, AuditKeys keys, HashChain chain, int checkpointEvery) {
        this(sink, keys, chain, checkpointEvery, Clock.systemUTC());
    }

    public AuditTrail(
            TrailSink sink, AuditKeys keys, HashChain chain, int checkpointEvery, Clock clock) {
        this(sink, keys, chain, checkpointEvery, clock, Duration.ofMillis(100));
    }

    /** How often the writer hands new events to the sink while no run ends: 10 ms. */
    public static final Duration DEFAULT_WRITE_INTERVAL = Duration.ofMillis(10);

    /**
     * @param runCheckpointGap the least time between two checkpoints that are due (default 100 ms;
     *     {@link Duration#ZERO} seals after every run and every {@code checkpointEvery} records)
     */
    public AuditTrail(
            TrailSink sink,
            AuditKeys keys,
            HashChain chain,
            int checkpointEvery,
            Clock clock,
            Duration runCheckpointGap) {
        this(sink, keys, chain, checkpointEvery, clock, runCheckpointGap, DEFAULT_WRITE_INTERVAL);
    }

    /**
     * @param writeInterval how often the writer looks for new events (default {@link
     *     #DEFAULT_WRITE_INTERVAL}); {@link #flush()} and {@link #close()} wake it at once. It
     *     bounds what a crash can lose; a longer interval leaves the guest's core alone for longer
     * @throws IllegalArgumentException if {@code checkpointEvery} is below 1, {@code
     *     runCheckpointGap} is negative or {@code writeInterval} is not positive
     */
    public AuditTrail(
            TrailSink sink,
            AuditKeys keys,
            HashChain chain,
            int checkpointEvery,
            Clock clock,
            Duration runCheckpointGap,
            Duration writeInterval) {
        if (writeInterval.isNegative() || writeInterval.isZero()) {
            throw new IllegalArgumentException("writeInterval must be positive");
        }
        this.writeIntervalNanos = writeInterval.toNanos();
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be >= 1");
        }
        if (runCheckpointGap.isNegative()) {
            throw new IllegalArgumentException("runCheckpointGap must not be negative");
        }
        this.sink = sink;
        this.chain = chain;
        this.clock = clock;
        this.checkpointEvery = checkpointEvery;
        this.checkpointGapMillis = runCheckpointGap.toMillis();
        this.batchSize = 1024;
        this.batch.writer = chain.writer();
        this.sealer = new TrailSealer(chain, keys, batch);
        this.writer = new Thread(this::drain, "airlock-audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public void accept(Event event) {
        if (closed) {
            throw new IllegalStateException("audit trail closed");
        }
        // the writer is not woken: waking it would let it take the guest's core at once
        put(event);
    }

    /** Puts an item in the ring (waiting for the writer while it is full). */
    private void put(Object item) {
        ring.put(item, writer);
    }

    /**
     * Seals a run's recorded outcome into the chain as a {@code run} record (see {@link
     * AuditRecords}), after the events accepted before it; a checkpoint is then due, as after an
     * {@code OUTCOME} event. Call {@link #sync()} to know it is stored.
     *
     * @throws IllegalStateException if the trail is closed
     */
    public void acceptOutcome(RunOutcome outcome) {
        if (closed) {
            throw new IllegalStateException("audit trail closed");
        }
        put(java.util.Objects.requireNonNull(outcome, "outcome"));
    }

    /**
     * Waits until everything accepted so far is handed to the sink (stored), without waiting for a
     * checkpoint: what a writer calls before reporting a run as recorded.
     *
     * @throws IOException the sink's failure, if it failed (then nothing more is stored)
     */
    public void sync() throws IOException {
        TrailTickets.Ticket ticket = tickets.sync();
        putControl(SYNC);
        await(ticket);
    }

    /** Waits until everything accepted so far is written and sealed by a checkpoint. */
    public void flush() throws IOException {
        TrailTickets.Ticket ticket = tickets.flush();
        putControl(FLUSH);
        await(ticket);
    }

    /** Waits until the writer has passed {@code ticket} or stopped; throws its failure. */
    private void await(TrailTickets.Ticket ticket) throws IOException {
        tickets.await(ticket, writer);
        if (failure != null) {
            throw failure;
        }
    }

    /** Writes everything, seals it and closes the sink. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            // stop the writer and close the sink even when the sink failed
            closed = true;
            putControl(STOP);
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sink.close();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The chain position of the last record written. */
    public long lastSeq() {
        return chain.seq();
    }

    private void putControl(Object marker) {
        put(marker);
        LockSupport.unpark(writer);
    }

    private void drain() {
        Object[] taken = new Object[8192];
        boolean running = true;
        // the first look comes a write interval after the start, as every later one
        LockSupport.parkNanos(writeIntervalNanos);
        while (running) {
            int n = ring.take(taken);
            if (n == 0) {
                if ((runEnded || sinceCheckpoint >= checkpointEvery)
                        && failure == null
                        && sinceCheckpoint > 0
                        && gapPassed()) {
                    // a checkpoint is due and the trail is idle: seal it
                    guarded(null);
                } else {
                    LockSupport.parkNanos(writeIntervalNanos);
                }
                continue;
            }
            int flushes = 0;
            int writes = 0;
            for (int i = 0; i < n; i++) {
                Object o = taken[i];
                if (o == STOP) {
                    running = false;
                } else {
                    flushes += o == FLUSH ? 1 : 0;
                    writes += o == FLUSH || o == SYNC ? 1 : 0;
                    guarded(o);
                }
            }
            if (runEnded && sinceCheckpoint > 0 && failure == null && gapPassed()) {
                // a run ended in what was taken: one checkpoint after it all (its outcome, and the
                // run record that usually follows it in the same take)
                guarded(null);
            }
            guarded(STOP);
            Arrays.fill(taken, 0, n, null);
            if (writes > 0) {
                tickets.passed(flushes, writes);
            }
        }
        tickets.stopped();
    }

    /**
     * Takes one item: an event, {@code FLUSH}, {@code null} (seal now) or {@code STOP} (hand over
     * what is sealed). A failure is kept: a failed sink fails every later flush and close, which
     * must not wait forever, and nothing more is written.
     */
    private void guarded(Object o) {
        if (failure != null) {
            batch.clear();
            return;
        }
        try {
            if (o == STOP || o == null) {
                if (o == null) {
                    checkpoint();
                }
                append();
            } else if (o == FLUSH) {
                if (sinceCheckpoint > 0) {
                    checkpoint();
                }
            } else if (o == SYNC) {
                // written with the rest of what was taken: nothing to seal
            } else if (o instanceof RunOutcome) {
                takeOutcome((RunOutcome) o);
            } else {
                take((Event) o);
            }
            if (batch.size() >= batchSize) {
                append();
            }
        } catch (IOException e) {
            failure = e;
            batch.clear();
        } catch (RuntimeException e) {
            failure = new IOException("audit trail writer failed: " + e, e);
            batch.clear();
        }
    }

    private void take(Event e) {
        if (runEnded && sinceCheckpoint > 0 && gapPassed()) {
            // the run that ended before this event is sealed first (its run record, when one
            // follows its outcome in the same take, is sealed with it at the end of the take)
            checkpoint();
        }
        sealer.event(e);
        sinceCheckpoint++;
        boolean outcome =
                e instanceof LifecycleEvent
                        && ((LifecycleEvent) e).type() == LifecycleEvent.Type.OUTCOME;
        runEnded |= outcome;
        if (sinceCheckpoint >= checkpointEvery && gapPassed()) {
            checkpoint();
        }
    }

    private void takeOutcome(RunOutcome r) {
        sealer.outcome(r);
        sinceCheckpoint++;
        runEnded = true;
    }

    /** Whether the least time between two checkpoints has passed since the last one. */
    private boolean gapPassed() {
        return clock.millis() - lastCheckpointMillis >= checkpointGapMillis;
    }

    /** Hands the batch to the sink (unless it failed before) and empties it. */
    private void append() throws IOException {
        if (!batch.isEmpty()) {
            sink.append(batch);
        }
        batch.clear();
    }

    private void checkpoint() {
        long now = clock.millis();
        sealer.checkpoint(now);
        sinceCheckpoint = 0;
        runEnded = false;
        lastCheckpointMillis = now;
    }
}
