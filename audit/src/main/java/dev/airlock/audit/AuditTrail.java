package dev.airlock.audit;

import dev.airlock.core.event.Decision;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.EventSink;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.event.LifecycleEvent;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An {@link EventSink} that seals events into a hash chain and writes them in batches from its own
 * thread, so the guest pays only for a queue insertion. Signed checkpoints come every {@code
 * checkpointEvery} records, after a run's outcome (at most one per 100 ms: an Ed25519 signature
 * costs about a millisecond; a run that ends within 100 ms of the last checkpoint is sealed as soon
 * as the writer is idle and the 100 ms have passed), and at {@link #flush()} and {@link #close()}.
 *
 * <p>Guarantee: the writer looks for new events every millisecond and hands what it finds to the
 * sink at once, in batches of at most 1,024 records; {@link #close()} and {@link #flush()} write
 * everything. If the process dies, at most the batch being written is lost, and the trail still
 * verifies up to its last checkpoint. When the queue is full the guest waits (events are never
 * dropped).
 */
public final class AuditTrail implements EventSink, AutoCloseable {
    private static final Object FLUSH = new Object();
    private static final Object STOP = new Object();

    private final TrailSink sink;
    private final AuditKeys keys;
    private final Clock clock;
    private final int checkpointEvery;
    private final int batchSize;
    private final HashChain chain;

    /** Events and control markers; the guest never wakes the writer, which polls every 1 ms. */
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();

    private final AtomicInteger queued = new AtomicInteger();
    private static final int MAX_QUEUED = 65_536;
    private final Thread writer;
    private final Object progress = new Object();
    private long requested;
    private long completed;
    private long sinceCheckpoint;
    private long lastCheckpointMillis;
    private boolean runEnded;
    private final StringBuilder scratch = new StringBuilder(512);

    /** Signing costs about a millisecond: run-end checkpoints are at least this far apart. */
    private final long checkpointGapMillis;

    private volatile IOException failure;
    private volatile boolean closed;

    /**
     * @param sink where sealed records go
     * @param keys the checkpoint signing key
     * @param chain the chain to continue ({@link HashChain#start()} for a new trail)
     * @param checkpointEvery records between checkpoints (also one after each run)
     */
    public AuditTrail(TrailSink sink, AuditKeys keys, HashChain chain, int checkpointEvery) {
        this(sink, keys, chain, checkpointEvery, Clock.systemUTC());
    }

    public AuditTrail(
            TrailSink sink, AuditKeys keys, HashChain chain, int checkpointEvery, Clock clock) {
        this(sink, keys, chain, checkpointEvery, clock, Duration.ofMillis(100));
    }

    /**
     * @param runCheckpointGap the least time between two run-end checkpoints (default 100 ms;
     *     {@link Duration#ZERO} seals after every run)
     */
    public AuditTrail(
            TrailSink sink,
            AuditKeys keys,
            HashChain chain,
            int checkpointEvery,
            Clock clock,
            Duration runCheckpointGap) {
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be >= 1");
        }
        this.sink = sink;
        this.keys = keys;
        this.chain = chain;
        this.clock = clock;
        this.checkpointEvery = checkpointEvery;
        this.checkpointGapMillis = runCheckpointGap.toMillis();
        this.batchSize = 1024;
        this.writer = new Thread(this::drain, "airlock-audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public void accept(Event event) {
        if (closed) {
            throw new IllegalStateException("audit trail closed");
        }
        // back-pressure: a guest that outruns the writer waits (events are never dropped)
        while (queued.get() >= MAX_QUEUED && writer.isAlive()) {
            LockSupport.unpark(writer);
            LockSupport.parkNanos(100_000);
        }
        queued.incrementAndGet();
        queue.add(event);
    }

    /** Waits until everything accepted so far is written and sealed by a checkpoint. */
    public void flush() throws IOException {
        long ticket;
        synchronized (progress) {
            ticket = ++requested;
        }
        putControl(FLUSH);
        synchronized (progress) {
            while (completed < ticket && writer.isAlive()) {
                try {
                    progress.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
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
        queued.incrementAndGet();
        queue.add(marker);
        LockSupport.unpark(writer);
    }

    private void drain() {
        List<Object> taken = new ArrayList<>();
        List<SealedRecord> batch = new ArrayList<>();
        boolean running = true;
        while (running) {
            int flushes = 0;
            try {
                Object next;
                while (taken.size() < batchSize && (next = queue.poll()) != null) {
                    taken.add(next);
                }
                if (taken.isEmpty()) {
                    if (runEnded
                            && failure == null
                            && sinceCheckpoint > 0
                            && clock.millis() - lastCheckpointMillis >= checkpointGapMillis) {
                        // a run ended and the trail is idle: seal it
                        sink.append(List.of(checkpoint()));
                        continue;
                    }
                    LockSupport.parkNanos(1_000_000);
                    continue;
                }
                queued.addAndGet(-taken.size());
                for (Object o : taken) {
                    if (o == STOP) {
                        running = false;
                    } else if (o == FLUSH) {
                        flushes++;
                        if (sinceCheckpoint > 0) {
                            batch.add(checkpoint());
                        }
                    } else {
                        Event e = (Event) o;
                        batch.add(seal(e));
                        sinceCheckpoint++;
                        boolean outcome =
                                e instanceof LifecycleEvent
                                        && ((LifecycleEvent) e).type()
                                                == LifecycleEvent.Type.OUTCOME;
                        runEnded |= outcome;
                        if (sinceCheckpoint >= checkpointEvery
                                || outcome
                                        && clock.millis() - lastCheckpointMillis
                                                >= checkpointGapMillis) {
                            batch.add(checkpoint());
                        }
                    }
                }
                if (!batch.isEmpty() && failure == null) {
                    sink.append(batch);
                }
            } catch (IOException e) {
                // a failed sink fails every later flush and close, which must not wait forever
                failure = e;
            }
            batch.clear();
            taken.clear();
            if (flushes > 0) {
                synchronized (progress) {
                    completed += flushes;
                    progress.notifyAll();
                }
            }
        }
        synchronized (progress) {
            completed = requested;
            progress.notifyAll();
        }
    }

    private SealedRecord seal(Event e) {
        long seq = chain.next();
        scratch.setLength(0);
        String line = chain.seal(AuditRecords.open(scratch, e, seq));
        boolean denied =
                e instanceof HostCallEvent && ((HostCallEvent) e).decision() == Decision.DENY;
        String type = e instanceof HostCallEvent ? "call" : "lifecycle";
        return new SealedRecord(seq, e.runId(), type, e.timeMillis(), denied, chain.last(), line);
    }

    private SealedRecord checkpoint() {
        long seq = chain.next();
        long now = clock.millis();
        String line = chain.seal(AuditRecords.checkpoint(seq, now, chain.last(), keys));
        sinceCheckpoint = 0;
        runEnded = false;
        lastCheckpointMillis = now;
        return new SealedRecord(seq, null, "checkpoint", now, false, chain.last(), line);
    }
}
