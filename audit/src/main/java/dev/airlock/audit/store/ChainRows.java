package dev.airlock.audit.store;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.AuditRecords;
import dev.airlock.audit.HashChain;
import dev.airlock.audit.SealedRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The writers' chains ({@code audit_chains}): registering, closing and sealing after a crash. */
final class ChainRows {
    /** The chain that schema versions before 4 wrote; its records name no writer. */
    static final String LEGACY = "legacy";

    static final String OPEN = "open";
    static final String CLOSED = "closed";

    /** A chain position: {@code line} is the checkpoint kept at the anchor, else {@code null}. */
    record Position(long seq, String hash, String line) {}

    /** One writer's chain. */
    record Chain(String id, String state, long createdAt, Position anchor, Position head) {
        /** The writer its lines name: none for the legacy chain. */
        String lineWriter() {
            return LEGACY.equals(id) ? null : id;
        }
    }

    private ChainRows() {}

    private static final String COLUMNS =
            "chain, state, created_at, anchor_seq, anchor_hash, anchor_line, head_seq, head_hash";

    /** Every chain, oldest first. */
    static List<Chain> all(Connection c) throws SQLException {
        List<Chain> out = new ArrayList<>();
        try (PreparedStatement p =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + " FROM audit_chains ORDER BY created_at, chain");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(row(r));
            }
        }
        return out;
    }

    /** The open chains (being written, or left by a writer that died), oldest first. */
    static List<Chain> open(Connection c) throws SQLException {
        List<Chain> out = new ArrayList<>();
        try (PreparedStatement p =
                c.prepareStatement(
                        "SELECT "
                                + COLUMNS
                                + " FROM audit_chains WHERE state = ? ORDER BY created_at, chain")) {
            p.setString(1, OPEN);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(row(r));
                }
            }
        }
        return out;
    }

    /** The chain, or {@code null}. */
    static Chain get(Connection c, String id) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("SELECT " + COLUMNS + " FROM audit_chains WHERE chain = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? row(r) : null;
            }
        }
    }

    private static Chain row(ResultSet r) throws SQLException {
        return new Chain(
                r.getString(1),
                r.getString(2),
                r.getLong(3),
                new Position(r.getLong(4), r.getString(5).trim(), r.getString(6)),
                new Position(r.getLong(7), r.getString(8).trim(), null));
    }

    /** Registers a new open chain (its writer's lock must be held already). */
    static void register(Db db, String id, long now, String nodeId) throws StoreException {
        db.write(
                "register audit writer " + id,
                c -> {
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "INSERT INTO audit_chains ("
                                            + COLUMNS
                                            + (nodeId == null ? "" : ", node_id")
                                            + ") VALUES (?, ?, ?, 0, ?, NULL, 0, ?"
                                            + (nodeId == null ? "" : ", ?")
                                            + ")")) {
                        p.setString(1, id);
                        p.setString(2, OPEN);
                        p.setLong(3, now);
                        p.setString(4, HashChain.GENESIS);
                        p.setString(5, HashChain.GENESIS);
                        if (nodeId != null) {
                            p.setString(6, nodeId);
                        }
                        p.executeUpdate();
                    }
                    return null;
                });
    }

    /** The last stored record of the chain, or its anchor when none is stored. */
    static Position last(Connection c, String chain) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement(
                        "SELECT seq, line, type FROM audit_events WHERE chain = ?"
                                + " ORDER BY seq DESC LIMIT 1")) {
            p.setString(1, chain);
            try (ResultSet r = p.executeQuery()) {
                if (r.next()) {
                    return new Position(
                            r.getLong(1),
                            TrailRows.lineHash(r.getString(2)),
                            "checkpoint".equals(r.getString(3)) ? r.getString(2) : null);
                }
            }
        }
        Chain ch = get(c, chain);
        if (ch == null) {
            throw new SQLException("no audit writer " + chain);
        }
        return ch.anchor();
    }

    /**
     * Closes the writer's chain when it ends sealed (an empty chain is forgotten); one that does
     * not stays open, to be sealed as an unclean stop by the next writer.
     */
    static void close(Db db, String id) throws StoreException {
        db.write(
                "close audit writer " + id,
                c -> {
                    Chain ch = get(c, id);
                    if (ch == null || !OPEN.equals(ch.state())) {
                        return null;
                    }
                    Position last = last(c, id);
                    if (last.seq() == 0) {
                        try (PreparedStatement p =
                                c.prepareStatement("DELETE FROM audit_chains WHERE chain = ?")) {
                            p.setString(1, id);
                            p.executeUpdate();
                        }
                    } else if (last.line() != null) {
                        setState(c, id, CLOSED);
                    }
                    return null;
                });
    }

    private static void setState(Connection c, String id, String state) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("UPDATE audit_chains SET state = ? WHERE chain = ?")) {
            p.setString(1, state);
            p.setString(2, id);
            p.executeUpdate();
        }
    }

    /**
     * Seals the chain of a writer that stopped without closing it: appends a checkpoint marked
     * {@code "stop":"unclean"} after its last record and closes it. Returns that checkpoint's
     * position, or -1 when the chain was not open (another process sealed it first).
     */
    static long sealAbandoned(Db db, String id, AuditKeys keys, long now) throws StoreException {
        return db.write(
                "seal audit writer " + id,
                c -> {
                    Chain ch = get(c, id);
                    if (ch == null || !OPEN.equals(ch.state())) {
                        return -1L;
                    }
                    Position last = last(c, id);
                    long seq = last.seq() + 1;
                    String writer = ch.lineWriter();
                    String open =
                            AuditRecords.checkpoint(writer, seq, now, last.hash(), keys, true);
                    String line = new HashChain(writer, last.hash(), last.seq()).seal(open);
                    SealedRecord r =
                            new SealedRecord(
                                    seq,
                                    null,
                                    null,
                                    "checkpoint",
                                    now,
                                    false,
                                    TrailRows.lineHash(line),
                                    line);
                    TrailRows.insert(c, id, List.of(r));
                    setHead(c, id, r);
                    setState(c, id, CLOSED);
                    return seq;
                });
    }

    static void setHead(Connection c, String id, SealedRecord checkpoint) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement(
                        "UPDATE audit_chains SET head_seq = ?, head_hash = ? WHERE chain = ?")) {
            p.setLong(1, checkpoint.seq());
            p.setString(2, checkpoint.hash());
            p.setString(3, id);
            p.executeUpdate();
        }
    }

    static void setAnchor(Connection c, String id, long seq, String line) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement(
                        "UPDATE audit_chains SET anchor_seq = ?, anchor_hash = ?, anchor_line = ?"
                                + " WHERE chain = ?")) {
            p.setLong(1, seq);
            p.setString(2, TrailRows.lineHash(line));
            p.setString(3, line);
            p.setString(4, id);
            p.executeUpdate();
        }
    }
}
