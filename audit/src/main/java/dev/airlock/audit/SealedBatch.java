package dev.airlock.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A batch of sealed records as the trail's writer hands it to a {@link TrailSink}: their text as
 * UTF-8 JSON Lines (each line ends with {@code \n}), ready to be written as it is, and the fields a
 * store indexes. The writer reuses one batch: a sink must not keep it after {@code append} returns.
 */
public final class SealedBatch {
    static final byte CALL = 0;
    static final byte LIFECYCLE = 1;
    static final byte CHECKPOINT = 2;
    static final byte RUN = 3;
    private static final String[] TYPES = {"call", "lifecycle", "checkpoint", "run"};

    /** The writer whose chain the records continue, or {@code null}. */
    String writer;

    final RecordBuffer text = new RecordBuffer(1 << 16);
    private int size;
    private long[] seqs = new long[256];
    private String[] runIds = new String[256];
    private String[] sessionIds = new String[256];
    private byte[] types = new byte[256];
    private long[] times = new long[256];
    private boolean[] denied = new boolean[256];

    /** Line ends (the offset of each line's {@code \n}). */
    private int[] ends = new int[256];

    SealedBatch() {}

    /** Builds a batch from records, for sinks that forward or tests. */
    public static SealedBatch of(List<SealedRecord> records) {
        return of(null, records);
    }

    /** Builds a batch of {@code writer}'s records, for sinks that forward or tests. */
    public static SealedBatch of(String writer, List<SealedRecord> records) {
        SealedBatch b = new SealedBatch();
        b.writer = writer;
        for (SealedRecord r : records) {
            b.text.put(r.line().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte type = (byte) Math.max(0, Arrays.asList(TYPES).indexOf(r.type())); // unknown: call
            b.end(r.seq(), r.runId(), r.sessionId(), type, r.timeMillis(), r.denied());
        }
        return b;
    }

    /** The writer whose chain the records continue ({@link HashChain#writer()}), or null. */
    public String writer() {
        return writer;
    }

    /** The number of records. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The chain position of record {@code i}. */
    public long seq(int i) {
        return seqs[check(i)];
    }

    /** The records, with their text decoded (for stores; a file sink uses {@link #writeTo}). */
    public List<SealedRecord> records() {
        List<SealedRecord> out = new ArrayList<>(size);
        int start = 0;
        for (int i = 0; i < size; i++) {
            int end = ends[i];
            // a sealed line ends with "hash":"<64 hex>"}
            String hash = text.text(end - 66, end - 2);
            out.add(
                    new SealedRecord(
                            seqs[i],
                            runIds[i],
                            sessionIds[i],
                            TYPES[types[i]],
                            times[i],
                            denied[i],
                            hash,
                            text.text(start, end)));
            start = end + 1;
        }
        return out;
    }

    /** Writes the records as JSON Lines (UTF-8, each line ending with {@code \n}). */
    public void writeTo(OutputStream out) throws IOException {
        out.write(text.bytes, 0, text.length);
    }

    /** The offset where the next record's text starts. */
    int begin() {
        return text.length;
    }

    /** Ends the record whose sealed text was just appended. */
    void end(
            long seq,
            String runId,
            String sessionId,
            byte type,
            long timeMillis,
            boolean isDenied) {
        if (size == seqs.length) {
            int n = size * 2;
            seqs = Arrays.copyOf(seqs, n);
            runIds = Arrays.copyOf(runIds, n);
            sessionIds = Arrays.copyOf(sessionIds, n);
            types = Arrays.copyOf(types, n);
            times = Arrays.copyOf(times, n);
            denied = Arrays.copyOf(denied, n);
            ends = Arrays.copyOf(ends, n);
        }
        ends[size] = text.length;
        text.put('\n');
        seqs[size] = seq;
        runIds[size] = runId;
        sessionIds[size] = sessionId;
        types[size] = type;
        times[size] = timeMillis;
        denied[size] = isDenied;
        size++;
    }

    /** Drops a record being encoded (after a failure), back to {@code start}. */
    void rollback(int start) {
        text.length = start;
    }

    void clear() {
        Arrays.fill(runIds, 0, size, null);
        Arrays.fill(sessionIds, 0, size, null);
        size = 0;
        text.clear();
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return i;
    }
}
