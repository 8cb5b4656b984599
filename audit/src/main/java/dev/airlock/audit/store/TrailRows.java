package dev.airlock.audit.store;

import dev.airlock.audit.AuditVerifier;
import dev.airlock.audit.SealedRecord;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** The audit tables: appending sealed batches, reading lines, verifying and pruning. */
final class TrailRows {
    private static final String HASH_MARK = ",\"hash\":\"";

    /** A chain position: {@code line} is the checkpoint kept at the anchor, else {@code null}. */
    record Position(long seq, String hash, String line) {}

    private TrailRows() {}

    static Position anchor(Connection c) throws SQLException {
        try (PreparedStatement p =
                        c.prepareStatement(
                                "SELECT seq, hash, line FROM audit_anchor WHERE id = 1");
                ResultSet r = p.executeQuery()) {
            if (!r.next()) {
                throw new SQLException("the audit_anchor row is missing");
            }
            return new Position(r.getLong(1), r.getString(2).trim(), r.getString(3));
        }
    }

    static Position head(Connection c) throws SQLException {
        try (PreparedStatement p =
                        c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
                ResultSet r = p.executeQuery()) {
            if (!r.next()) {
                throw new SQLException("the audit_head row is missing");
            }
            return new Position(r.getLong(1), r.getString(2).trim(), null);
        }
    }

    /** The last stored record, or the anchor when none is stored. */
    static Position last(Connection c) throws SQLException {
        try (PreparedStatement p =
                        c.prepareStatement(
                                "SELECT seq, line FROM audit_events ORDER BY seq DESC LIMIT 1");
                ResultSet r = p.executeQuery()) {
            if (r.next()) {
                return new Position(r.getLong(1), lineHash(r.getString(2)), null);
            }
        }
        return anchor(c);
    }

    /** Appends one batch; refuses a batch that does not continue the stored chain. */
    static void append(Db db, List<SealedRecord> batch) throws StoreException {
        if (batch.isEmpty()) {
            return;
        }
        db.write(
                "append audit records",
                c -> {
                    long first = batch.get(0).seq();
                    SealedRecord lastCheckpoint = null;
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "INSERT INTO audit_events (seq, run_id, type, event_time,"
                                            + " denied, hash, line, session_id)"
                                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                        for (SealedRecord r : batch) {
                            p.setLong(1, r.seq());
                            p.setString(2, r.runId());
                            p.setString(3, r.type());
                            p.setLong(4, r.timeMillis());
                            p.setBoolean(5, r.denied());
                            p.setString(6, r.hash());
                            p.setString(7, r.line());
                            p.setString(8, r.sessionId());
                            p.addBatch();
                            if ("checkpoint".equals(r.type())) {
                                lastCheckpoint = r;
                            }
                        }
                        p.executeBatch();
                    } catch (SQLException e) {
                        throw new StoreException(
                                "store "
                                        + db.location
                                        + ": cannot append audit records "
                                        + first
                                        + ".."
                                        + batch.get(batch.size() - 1).seq()
                                        + (Db.isConstraintViolation(e)
                                                ? " (already stored: another writer on this"
                                                        + " store?): "
                                                : ": ")
                                        + Db.oneLine(e.getMessage()),
                                e);
                    }
                    if (!predecessorExists(c, first - 1)) {
                        throw new StoreException(
                                "store "
                                        + db.location
                                        + ": audit record "
                                        + first
                                        + " does not follow the stored trail (its chain was"
                                        + " taken from another store, or records were removed)");
                    }
                    if (lastCheckpoint != null) {
                        try (PreparedStatement p =
                                c.prepareStatement(
                                        "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")) {
                            p.setLong(1, lastCheckpoint.seq());
                            p.setString(2, lastCheckpoint.hash());
                            p.executeUpdate();
                        }
                    }
                    return null;
                });
    }

    private static boolean predecessorExists(Connection c, long seq) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement(
                        "SELECT (SELECT COUNT(*) FROM audit_events WHERE seq = ?)"
                                + " + (SELECT COUNT(*) FROM audit_anchor WHERE seq = ?)")) {
            p.setLong(1, seq);
            p.setLong(2, seq);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1) > 0;
            }
        }
    }

    /**
     * Lines in chain order after {@code afterSeq}, filtered by {@code where} (SQL, may be empty).
     */
    static List<String> lines(Db db, String where, Object param, long afterSeq, int limit)
            throws StoreException {
        String sql =
                "SELECT line FROM audit_events WHERE seq > ?"
                        + where
                        + " ORDER BY seq"
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

    /** Verifies the trail from the anchor (see {@link Store#verify(PublicKey)}). */
    static AuditVerifier.Result verify(Db db, PublicKey key) throws StoreException {
        return db.read("verify the audit trail", c -> verify(c, key));
    }

    private static AuditVerifier.Result verify(Connection c, PublicKey key) throws SQLException {
        Position anchor = anchor(c);
        Position head = head(c);
        List<String> first = new ArrayList<>();
        long startSeq = anchor.seq();
        String startHash = anchor.hash();
        if (anchor.line() != null) {
            // the kept checkpoint goes first: its signature and hash are checked with the rest
            first.add(anchor.line());
            startSeq = anchor.seq() - 1;
            startHash = field(anchor.line(), "prev");
            if (!anchor.hash().equals(lineHash(anchor.line()))) {
                return fail(anchor.seq() - 1, anchor.seq(), "the anchor does not match its line");
            }
        } else if (anchor.seq() != 0) {
            return fail(0, anchor.seq(), "the anchor has no checkpoint line");
        }
        if (head.seq() < anchor.seq()) {
            return fail(anchor.seq(), head.seq(), "the head checkpoint lies before the anchor");
        }
        String headLine = null;
        AuditVerifier.Result r;
        try (PreparedStatement p =
                c.prepareStatement(
                        "SELECT seq, hash, line FROM audit_events WHERE seq > ? ORDER BY seq")) {
            p.setLong(1, anchor.seq());
            p.setFetchSize(1000);
            try (ResultSet rows = p.executeQuery()) {
                Rows it = new Rows(first, rows, head.seq());
                if (anchor.line() == null && anchor.seq() == 0 && !it.hasNext()) {
                    r = new AuditVerifier.Result(true, 0, 0, -1, -1, null);
                } else {
                    r = AuditVerifier.verify(it, key, startSeq, startHash);
                }
                if (it.badHashColumn >= 0 && (r.ok() || it.badHashColumn < r.brokenSeq())) {
                    return fail(
                            r.sealedUpTo(),
                            it.badHashColumn,
                            "the hash column does not match the line");
                }
                headLine = head.seq() == anchor.seq() ? anchor.line() : it.headLine;
            }
        } catch (UncheckedSql e) {
            throw e.getCause();
        }
        boolean failedBeforeHead = !r.ok() && r.brokenSeq() <= head.seq();
        if (failedBeforeHead || head.seq() == 0) {
            return r;
        }
        if (r.sealedUpTo() < head.seq() || headLine == null) {
            return fail(
                    r.sealedUpTo(),
                    r.sealedUpTo() + 1,
                    "the trail is cut back: the store's latest checkpoint is "
                            + head.seq()
                            + " but the trail is sealed only up to "
                            + r.sealedUpTo()
                            + " (records removed)");
        }
        if (!head.hash().equals(lineHash(headLine))) {
            return fail(head.seq() - 1, head.seq(), "the latest checkpoint was replaced");
        }
        return r;
    }

    private static AuditVerifier.Result fail(long sealed, long seq, String reason) {
        return new AuditVerifier.Result(false, 0, sealed, seq, -1, reason);
    }

    /** Deletes checkpoint spans that ended before {@code cutoff} and runs that ended before it. */
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
                    Position anchor = anchor(c);
                    long seq = anchor.seq();
                    String line = null;
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "SELECT seq, line FROM audit_events WHERE type = 'checkpoint'"
                                            + " AND event_time < ? AND seq > ?"
                                            + " ORDER BY seq DESC LIMIT 1")) {
                        p.setLong(1, cutoff);
                        p.setLong(2, anchor.seq());
                        try (ResultSet r = p.executeQuery()) {
                            if (r.next()) {
                                seq = r.getLong(1);
                                line = r.getString(2);
                            }
                        }
                    }
                    if (line == null) {
                        return new PruneResult(0, runs, anchor.seq());
                    }
                    return new PruneResult(pruneThrough(c, seq, line), runs, seq);
                });
    }

    /**
     * Deletes the oldest whole checkpoint spans until the stored lines take at most {@code
     * maxBytes}, and the runs that ended before the new anchor checkpoint.
     */
    static PruneResult pruneToSize(Db db, long maxBytes) throws StoreException {
        return db.write(
                "prune",
                c -> {
                    Position anchor = anchor(c);
                    long total = 0;
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "SELECT COALESCE(SUM(LENGTH(line)), 0) FROM audit_events"
                                            + " WHERE seq > ?")) {
                        p.setLong(1, anchor.seq());
                        try (ResultSet r = p.executeQuery()) {
                            r.next();
                            total = r.getLong(1);
                        }
                    }
                    long seq = -1;
                    String line = null;
                    long time = 0;
                    if (total > maxBytes) {
                        try (PreparedStatement p =
                                c.prepareStatement(
                                        "SELECT seq, type, LENGTH(line), line, event_time"
                                                + " FROM audit_events WHERE seq > ? ORDER BY seq")) {
                            p.setLong(1, anchor.seq());
                            try (ResultSet r = p.executeQuery()) {
                                long prefix = 0;
                                while (r.next()) {
                                    prefix += r.getLong(3);
                                    if ("checkpoint".equals(r.getString(2))) {
                                        seq = r.getLong(1);
                                        line = r.getString(4);
                                        time = r.getLong(5);
                                        if (total - prefix <= maxBytes) {
                                            break;
                                        }
                                    }
                                }
                            }
                        }
                    }
                    if (line == null) {
                        return new PruneResult(0, 0, anchor.seq());
                    }
                    long runs;
                    try (PreparedStatement p =
                            c.prepareStatement("DELETE FROM runs WHERE ended_at <= ?")) {
                        p.setLong(1, time);
                        runs = p.executeUpdate();
                    }
                    return new PruneResult(pruneThrough(c, seq, line), runs, seq);
                });
    }

    /** Deletes records up to checkpoint {@code seq}, which becomes the anchor. */
    private static long pruneThrough(java.sql.Connection c, long seq, String line)
            throws java.sql.SQLException {
        long records;
        try (PreparedStatement p = c.prepareStatement("DELETE FROM audit_events WHERE seq <= ?")) {
            p.setLong(1, seq);
            records = p.executeUpdate();
        }
        try (PreparedStatement p =
                c.prepareStatement(
                        "UPDATE audit_anchor SET seq = ?, hash = ?, line = ? WHERE id = 1")) {
            p.setLong(1, seq);
            p.setString(2, lineHash(line));
            p.setString(3, line);
            p.executeUpdate();
        }
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

    private static String field(String line, String name) {
        String mark = "\"" + name + "\":\"";
        int at = line.lastIndexOf(mark);
        if (at < 0) {
            return "";
        }
        int end = line.indexOf('"', at + mark.length());
        return end < 0 ? "" : line.substring(at + mark.length(), end);
    }

    /** The lines to verify: {@code first}, then the rows; notes the head line and hash columns. */
    private static final class Rows implements Iterator<String> {
        private final Iterator<String> first;
        private final ResultSet rows;
        private final long headSeq;
        private Boolean ready;
        String headLine;
        long badHashColumn = -1;

        Rows(List<String> first, ResultSet rows, long headSeq) {
            this.first = first.iterator();
            this.rows = rows;
            this.headSeq = headSeq;
        }

        @Override
        public boolean hasNext() {
            if (first.hasNext()) {
                return true;
            }
            if (ready == null) {
                try {
                    ready = rows.next();
                } catch (SQLException e) {
                    throw new UncheckedSql(e);
                }
            }
            return ready;
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            if (first.hasNext()) {
                return first.next();
            }
            ready = null;
            try {
                long seq = rows.getLong(1);
                String line = rows.getString(3);
                if (badHashColumn < 0 && !rows.getString(2).trim().equals(lineHash(line))) {
                    badHashColumn = seq;
                }
                if (seq == headSeq) {
                    headLine = line;
                }
                return line;
            } catch (SQLException e) {
                throw new UncheckedSql(e);
            }
        }
    }

    private static final class UncheckedSql extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedSql(SQLException e) {
            super(e);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
