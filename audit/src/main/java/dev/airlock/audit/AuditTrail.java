package dev.airlock.audit;

import dev.airlock.core.event.Decision;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.EventSink;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.event.LifecycleEvent;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EventSink} that seals events into a hash chain and writes them in batches from its own
 * thread, so the guest pays only for a queue insertion. A signed checkpoint follows every run's
 * outcome, every {@code checkpointEvery} records, and the last record at {@link #close()}.
 *
 * <p>Guarantee: a batch is handed to the sink as soon as the writer finds it (at most {@code
 * batchSize} records, typically a few milliseconds of events); {@link #close()} and {@link
 * #flush()} write everything. If the process dies, at most the batch being written is lost, and the
 * trail still verifies up to its last checkpoint. When the queue is full the guest waits (events
 * are never dropped).
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
    private final BlockingQueue<Object> queue;
    private final Thread writer;
    private final Object progress = new Object();
    private long requested;
    private long completed;
    private long sinceCheckpoint;
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
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be >= 1");
        }
        this.sink = sink;
        this.keys = keys;
        this.chain = chain;
        this.clock = clock;
        this.checkpointEvery = checkpointEvery;
        this.batchSize = 1024;
        this.queue = new ArrayBlockingQueue<>(65_536);
        this.writer = new Thread(this::drain, "airlock-audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public void accept(Event event) {
        if (closed) {
            throw new IllegalStateException("audit trail closed");
        }
        try {
            queue.put(event);
        } catch (InterruptedException e) {
            // keep the event: the guest's interruption must not punch a hole in the trail
            while (!queue.offer(event)) {
                Thread.onSpinWait();
            }
            Thread.currentThread().interrupt();
        }
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
        try {
            queue.put(marker);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queue.offer(marker);
        }
    }

    private void drain() {
        List<Object> taken = new ArrayList<>();
        List<SealedRecord> batch = new ArrayList<>();
        boolean running = true;
        while (running) {
            int flushes = 0;
            try {
                Object first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                queue.drainTo(taken, batchSize - 1);
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
                        if (outcome || sinceCheckpoint >= checkpointEvery) {
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
            } catch (InterruptedException e) {
                // only close() stops the writer
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
        String line = chain.seal(AuditRecords.open(e, seq));
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
        return new SealedRecord(seq, null, "checkpoint", now, false, chain.last(), line);
    }
}
