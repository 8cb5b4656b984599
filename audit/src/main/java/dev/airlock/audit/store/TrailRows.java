package dev.airlock.audit.store;

import dev.airlock.audit.SealedRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The audit records: appending a writer's sealed batches, reading lines and pruning. */
final class TrailRows {
    private static final String HASH_MARK = ",\"hash\":\"";

    /** Orders records by their writer's registration, then by chain position. */
    static final String CHAIN_ORDER =
            " ORDER BY (SELECT c.created_at FROM audit_chains c WHERE c.chain = audit_events.chain),"
                    + " chain, seq";

    private TrailRows() {}

    /**
     * Appends one batch to {@code chain}; refuses a batch that does not continue it, or a chain
     * that is no longer open (closed, or sealed by another process after losing its lock).
     */
    static void append(Db db, String chain, List<SealedRecord> batch) throws StoreException {
        if (batch.isEmpty()) {
            return;
        }
        long first = batch.get(0).seq();
        String range = first + ".." + batch.get(batch.size() - 1).seq();
        db.write(
                "append audit records",
                c -> {
                    ChainRows.Chain ch = ChainRows.get(c, chain);
                    if (ch == null || !ChainRows.OPEN.equals(ch.state())) {
                        throw new StoreException(
                                "store "
                                        + db.location
                                        + ": cannot append audit records "
                                        + range
                                        + ": writer "
                                        + chain
                                        + (ch == null ? " is not registered" : " is closed"));
                    }
                    try {
                        insert(c, chain, batch);
                    } catch (SQLException e) {
                        throw new StoreException(
                                "store "
                                        + db.location
                                        + ": cannot append audit records "
                                        + range
                                        + " of writer "
                                        + chain
                                        + (Db.isConstraintViolation(e)
                                                ? " (already stored: two trails on one writer?): "
                                                : ": ")
                                        + Db.oneLine(e.getMessage()),
                                e);
                    }
                    if (!predecessorExists(c, chain, ch, first - 1)) {
                        throw new StoreException(
                                "store "
                                        + db.location
                                        + ": audit record "
                                        + first
                                        + " of writer "
                                        + chain
                                        + " does not follow its stored chain (records were"
                                        + " removed, or the chain was taken from elsewhere)");
                    }
                    SealedRecord lastCheckpoint = null;
                    for (SealedRecord r : batch) {
                        if ("checkpoint".equals(r.type())) {
                            lastCheckpoint = r;
                        }
                    }
                    if (lastCheckpoint != null) {
                        ChainRows.setHead(c, chain, lastCheckpoint);
                    }
                    return null;
                });
    }

    /** The number of records stored, in every chain. */
    static long count(Db db) throws StoreException {
        return db.read(
                "count audit records",
                c -> {
                    try (PreparedStatement p =
                                    c.prepareStatement("SELECT COUNT(*) FROM audit_events");
                            ResultSet r = p.executeQuery()) {
                        r.next();
                        return r.getLong(1);
                    }
                });
    }

    static void insert(Connection c, String chain, List<SealedRecord> batch) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement(
                        "INSERT INTO audit_events (chain, seq, run_id, type, event_time,"
                                + " denied, hash, line, session_id)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (SealedRecord r : batch) {
                p.setString(1, chain);
                p.setLong(2, r.seq());
                p.setString(3, r.runId());
                p.setString(4, r.type());
                p.setLong(5, r.timeMillis());
                p.setBoolean(6, r.denied());
                p.setString(7, r.hash());
                p.setString(8, r.line());
                p.setString(9, r.sessionId());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    private static boolean predecessorExists(
            Connection c, String chain, ChainRows.Chain ch, long seq) throws SQLException {
        if (ch.anchor().seq() == seq) {
            return true;
        }
        try (PreparedStatement p =
                c.prepareStatement("SELECT 1 FROM audit_events WHERE chain = ? AND seq = ?")) {
            p.setString(1, chain);
            p.setLong(2, seq);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    /**
     * Lines after chain position {@code afterSeq} (in each chain), filtered by {@code where} (SQL,
     * may be empty), writer by writer in the order they were registered.
     */
    static List<String> lines(Db db, String where, Object param, long afterSeq, int limit)
            throws StoreException {
        String sql =
                "SELECT line FROM audit_events WHERE seq > ?"
                        + where
                        + CHAIN_ORDER
                        + (limit > 0 ? " LIMIT " + limit : "");
        return db.read(
                "read audit records",
                c -> {
                    List<String> out = new ArrayList<>();
                    try (PreparedStatement p = c.prepareStatement(sql)) {
                        p.setLong(1, afterSeq);
                        if (param instanceof Boolean) {
                            p.setBoolean(2, (Boolean) param);
                        } else if (param != null) {
                            p.setString(2, (String) param);
                        }
                        p.setFetchSize(1000);
                        try (ResultSet r = p.executeQuery()) {
                            while (r.next()) {
                                out.add(r.getString(1));
                            }
                        }
                    }
                    return out;
                });
    }

    /**
     * In every chain, deletes the checkpoint spans that ended before {@code cutoff}; and the runs
     * that ended before it.
     */
    static PruneResult prune(Db db, long cutoff) throws StoreException {
        return db.write(
                "prune",
                c -> {
                    long runs;
                    try (PreparedStatement p =
                            c.prepareStatement("DELETE FROM runs WHERE ended_at < ?")) {
                        p.setLong(1, cutoff);
                        runs = p.executeUpdate();
                    }
                    long records = 0;
                    long anchor = 0;
                    for (ChainRows.Chain ch : ChainRows.all(c)) {
                        long seq = ch.anchor().seq();
                        String line = null;
                        try (PreparedStatement p =
                                c.prepareStatement(
                                        "SELECT seq, line FROM audit_events WHERE chain = ?"
                                                + " AND type = 'checkpoint' AND event_time < ?"
                                                + " AND seq > ? ORDER BY seq DESC LIMIT 1")) {
                            p.setString(1, ch.id());
                            p.setLong(2, cutoff);
                            p.setLong(3, ch.anchor().seq());
                            try (ResultSet r = p.executeQuery()) {
                                if (r.next()) {
                                    seq = r.getLong(1);
                                    line = r.getString(2);
                                }
                            }
                        }
                        if (line != null) {
                            records += pruneThrough(c, ch.id(), seq, line);
                        }
                        anchor = Math.max(anchor, seq);
                    }
                    return new PruneResult(records, runs, anchor);
                });
    }

    /** A checkpoint span: the records of a chain up to and including a checkpoint. */
    private record Span(String chain, long seq, long time, long bytes) {}

    /**
     * Deletes the oldest whole checkpoint spans (by their checkpoint's time, across writers) until
     * the stored lines take at most {@code maxBytes}, and the runs that ended by the time of the
     * last span deleted.
     */
    static PruneResult pruneToSize(Db db, long maxBytes) throws StoreException {
        return db.write(
                "prune",
                c -> {
                    long total;
                    try (PreparedStatement p =
                                    c.prepareStatement(
                                            "SELECT COALESCE(SUM(LENGTH(line)), 0)"
                                                    + " FROM audit_events");
                            ResultSet r = p.executeQuery()) {
                        r.next();
                        total = r.getLong(1);
                    }
                    long anchor = 0;
                    for (ChainRows.Chain ch : ChainRows.all(c)) {
                        anchor = Math.max(anchor, ch.anchor().seq());
                    }
                    if (total <= maxBytes) {
                        return new PruneResult(0, 0, anchor);
                    }
                    List<Span> spans = new ArrayList<>();
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "SELECT chain, seq, type, LENGTH(line), event_time"
                                            + " FROM audit_events ORDER BY chain, seq")) {
                        p.setFetchSize(1000);
                        try (ResultSet r = p.executeQuery()) {
                            String chain = null;
                            long bytes = 0;
                            while (r.next()) {
                                if (!r.getString(1).equals(chain)) {
                                    chain = r.getString(1);
                                    bytes = 0;
                                }
                                bytes += r.getLong(4);
                                if ("checkpoint".equals(r.getString(3))) {
                                    spans.add(new Span(chain, r.getLong(2), r.getLong(5), bytes));
                                    bytes = 0;
                                }
                            }
                        }
                    }
                    spans.sort(
                            Comparator.comparingLong(Span::time)
                                    .thenComparing(Span::chain)
                                    .thenComparingLong(Span::seq));
                    Map<String, Long> through = new HashMap<>();
                    long freed = 0;
                    long time = Long.MIN_VALUE;
                    for (Span s : spans) {
                        if (total - freed <= maxBytes) {
                            break;
                        }
                        freed += s.bytes();
                        through.merge(s.chain(), s.seq(), Math::max);
                        time = Math.max(time, s.time());
                    }
                    if (through.isEmpty()) {
                        return new PruneResult(0, 0, anchor);
                    }
                    long runs;
                    try (PreparedStatement p =
                            c.prepareStatement("DELETE FROM runs WHERE ended_at <= ?")) {
                        p.setLong(1, time);
                        runs = p.executeUpdate();
                    }
                    long records = 0;
                    for (Map.Entry<String, Long> e : through.entrySet()) {
                        records += pruneThrough(c, e.getKey(), e.getValue(), line(c, e));
                        anchor = Math.max(anchor, e.getValue());
                    }
                    return new PruneResult(records, runs, anchor);
                });
    }

    private static String line(Connection c, Map.Entry<String, Long> at) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("SELECT line FROM audit_events WHERE chain = ? AND seq = ?")) {
            p.setString(1, at.getKey());
            p.setLong(2, at.getValue());
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }

    /** Deletes a chain's records up to checkpoint {@code seq}, which becomes its anchor. */
    private static long pruneThrough(Connection c, String chain, long seq, String line)
            throws SQLException {
        long records;
        try (PreparedStatement p =
                c.prepareStatement("DELETE FROM audit_events WHERE chain = ? AND seq <= ?")) {
            p.setString(1, chain);
            p.setLong(2, seq);
            records = p.executeUpdate();
        }
        ChainRows.setAnchor(c, chain, seq, line);
        return records;
    }

    /** The hash a sealed line ends with (its own text says it; the verifier checks it). */
    static String lineHash(String line) {
        int mark = line.lastIndexOf(HASH_MARK);
        if (mark < 0 || !line.endsWith("\"}")) {
            return "";
        }
        return line.substring(mark + HASH_MARK.length(), line.length() - 2);
    }

    /** The text of a string field of a line ({@code ""} if absent). */
    static String field(String line, String name) {
        String mark = "\"" + name + "\":\"";
        int at = line.lastIndexOf(mark);
        if (at < 0) {
            return "";
        }
        int end = line.indexOf('"', at + mark.length());
        return end < 0 ? "" : line.substring(at + mark.length(), end);
    }
}
