package dev.airlock.audit;

import dev.airlock.core.event.Decision;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.HostCallEvent;
import java.nio.charset.StandardCharsets;

/**
 * Seals an {@link AuditTrail}'s records into its batch: encodes an event, a run outcome or a signed
 * checkpoint after the batch's last record and links it into the hash chain.
 */
final class TrailSealer {
    private final HashChain chain;
    private final AuditKeys keys;
    private final SealedBatch batch;

    TrailSealer(HashChain chain, AuditKeys keys, SealedBatch batch) {
        this.chain = chain;
        this.keys = keys;
        this.batch = batch;
    }

    /** Seals an event (a record that fails to encode is dropped from the batch). */
    void event(Event e) {
        int start = batch.begin();
        long seq = chain.next();
        try {
            AuditRecords.encode(batch.text, e, seq, chain.writerField);
        } catch (RuntimeException x) {
            batch.rollback(start);
            throw x;
        }
        chain.seal(batch.text, start);
        boolean call = e instanceof HostCallEvent;
        boolean denied = call && ((HostCallEvent) e).decision() == Decision.DENY;
        batch.end(
                seq,
                e.runId(),
                e.sessionId(),
                call ? SealedBatch.CALL : SealedBatch.LIFECYCLE,
                e.timeMillis(),
                denied);
    }

    /** Seals a run's recorded outcome as a {@code run} record (dropped if it fails to encode). */
    void outcome(RunOutcome r) {
        int start = batch.begin();
        long seq = chain.next();
        try {
            AuditRecords.encode(batch.text, r, seq, chain.writerField);
        } catch (RuntimeException x) {
            batch.rollback(start);
            throw x;
        }
        chain.seal(batch.text, start);
        batch.end(seq, r.runId(), r.sessionId(), SealedBatch.RUN, r.timeMillis(), false);
    }

    /** Seals a checkpoint made at {@code now}, signing the chain up to it. */
    void checkpoint(long now) {
        int start = batch.begin();
        long seq = chain.next();
        String open = AuditRecords.checkpoint(chain.writer(), seq, now, chain.last(), keys, false);
        batch.text.put(open.getBytes(StandardCharsets.UTF_8));
        chain.sealLinked(batch.text, start);
        batch.end(seq, null, null, SealedBatch.CHECKPOINT, now, false);
    }
}
