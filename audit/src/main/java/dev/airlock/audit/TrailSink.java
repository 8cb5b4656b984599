package dev.airlock.audit;

import java.io.IOException;
import java.util.List;

/** Where sealed records go: a JSON Lines file, a store, or both. Called from one thread. */
public interface TrailSink extends AutoCloseable {
    /** Appends a batch; when this returns the batch survives the death of the process. */
    void append(List<SealedRecord> batch) throws IOException;

    @Override
    void close() throws IOException;
}
