package dev.airlock.audit;

import java.io.IOException;

/** Where sealed records go: a JSON Lines file, a store, or both. Called from one thread. */
public interface TrailSink extends AutoCloseable {
    /**
     * Appends a batch; when this returns the batch survives the death of the process. The batch is
     * reused by the caller afterwards: copy what must be kept.
     */
    void append(SealedBatch batch) throws IOException;

    @Override
    void close() throws IOException;
}
