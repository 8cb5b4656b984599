package dev.airlock.audit.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.audit.AuditVerifier;
import java.io.IOException;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/** Verifies the stored chains and the runs table against the outcomes sealed in them. */
final class TrailCheck {
    /** One chain's result, before its writer's liveness is known. */
    record Checked(ChainRows.Chain chain, AuditVerifier.Result result) {}

    /** Everything read in one consistent transaction. */
    record Found(List<Checked> chains, long runsChecked, long runsUnchecked, List<String> faults) {}

    private TrailCheck() {}

    static Found verify(Connection c, Function<String, PublicKey> key) throws SQLException {
        List<Checked> out = new ArrayList<>();
        long legacyPrunedUpTo = Long.MIN_VALUE;
        for (ChainRows.Chain ch : ChainRows.all(c)) {
            out.add(new Checked(ch, verify(c, key, ch)));
            if (ChainRows.LEGACY.equals(ch.id()) && ch.anchor().line() != null) {
                legacyPrunedUpTo = time(ch.anchor().line());
            }
        }
        try (PreparedStatement p =
                        c.prepareStatement(
                                "SELECT DISTINCT chain FROM audit_events e WHERE NOT EXISTS"
                                        + " (SELECT 1 FROM audit_chains c WHERE c.chain ="
                                        + " e.chain)");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                ChainRows.Position none = new ChainRows.Position(0, "", null);
                out.add(
                        new Checked(
                                new ChainRows.Chain(r.getString(1), "?", 0, none, none),
                                fail(
                                        0,
                                        1,
                                        "records of a writer the store does not know (its"
                                                + " entry was removed)")));
            }
        }
        long[] counts = new long[2];
        List<String> faults = runs(c, counts, legacyPrunedUpTo);
        return new Found(out, counts[0], counts[1], faults);
    }

    /**
     * What of run {@code runId}'s stored outcome differs from the {@code run} record sealed in its
     * chain ({@code "status"}, {@code "kind"}, {@code "exit code"} or {@code "message"}), or {@code
     * null} when it matches, or the run or its record is not there.
     */
    static String outcomeFault(Connection c, String runId) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement(
                        "SELECT r.status, r.kind, r.exit_code, r.message, e.line FROM runs r"
                                + " JOIN audit_events e ON e.run_id = r.run_id AND e.type = 'run'"
                                + " WHERE r.run_id = ?")) {
            p.setString(1, runId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    int exit = r.getInt(3);
                    Integer exitCode = r.wasNull() ? null : exit;
                    String d =
                            differs(
                                    r.getString(5),
                                    r.getString(1),
                                    r.getString(2),
                                    exitCode,
                                    r.getString(4));
                    if (d != null) {
                        return d;
                    }
                }
            }
        }
        return null;
    }

    /** The {@code time} of a line, or {@code Long.MIN_VALUE}. */
    private static long time(String line) {
        try {
            return Json.MAPPER.readTree(line).path("time").asLong(Long.MIN_VALUE);
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }

    /**
     * Checks every run row against the {@code run} record of its chain. A row without one is
     * unchecked when its run has records in the legacy chain, or started before the legacy chain's
     * anchor (the runs of schema version 3 were recorded after their trail was sealed, so a row may
     * outlive its pruned records by moments); otherwise it is a fault.
     */
    private static List<String> runs(Connection c, long[] counts, long legacyPrunedUpTo)
            throws SQLException {
        List<String> faults = new ArrayList<>();
        try (PreparedStatement p =
                c.prepareStatement(
                        "SELECT r.run_id, r.status, r.kind, r.exit_code, r.message, e.line,"
                                + " (SELECT COUNT(*) FROM audit_events l WHERE l.run_id = r.run_id"
                                + " AND l.chain = 'legacy'), r.started_at"
                                + " FROM runs r LEFT JOIN audit_events e"
                                + " ON e.run_id = r.run_id AND e.type = 'run'"
                                + " ORDER BY r.run_id")) {
            p.setFetchSize(1000);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String id = r.getString(1);
                    int exit = r.getInt(4);
                    Integer exitCode = r.wasNull() ? null : exit;
                    String line = r.getString(6);
                    if (line == null) {
                        if (r.getLong(7) > 0 || r.getLong(8) <= legacyPrunedUpTo) {
                            counts[1]++;
                        } else {
                            faults.add(
                                    "run "
                                            + id
                                            + " has no outcome record in the trail (inserted?)");
                        }
                        continue;
                    }
                    String differs =
                            differs(line, r.getString(2), r.getString(3), exitCode, r.getString(5));
                    if (differs == null) {
                        counts[0]++;
                    } else {
                        faults.add(
                                "run "
                                        + id
                                        + ": its stored "
                                        + differs
                                        + " differs from the outcome sealed in the trail (edited)");
                    }
                }
            }
        }
        return faults;
    }

    /** The first field of the row that differs from the line, or {@code null}. */
    static String differs(
            String line, String status, String kind, Integer exitCode, String message) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(line);
        } catch (IOException e) {
            return "outcome";
        }
        if (!Objects.equals(status, text(n, "status"))) {
            return "status";
        }
        if (!Objects.equals(kind, text(n, "kind"))) {
            return "kind";
        }
        JsonNode x = n.get("exitCode");
        Integer sealed = x == null || x.isNull() ? null : x.asInt();
        if (!Objects.equals(exitCode, sealed)) {
            return "exit code";
        }
        if (!Objects.equals(message, text(n, "message"))) {
            return "message";
        }
        return null;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /**
     * Verifies one chain from its anchor (whose kept checkpoint is checked too) to its last record,
     * and that it still reaches its head (the latest checkpoint ever written to it), so that
     * records removed from its end are found; and that every row's hash column matches its line.
     */
    private static AuditVerifier.Result verify(
            Connection c, Function<String, PublicKey> key, ChainRows.Chain ch) throws SQLException {
        ChainRows.Position anchor = ch.anchor();
        ChainRows.Position head = ch.head();
        List<String> first = new ArrayList<>();
        long startSeq = anchor.seq();
        String startHash = anchor.hash();
        if (anchor.line() != null) {
            // the kept checkpoint goes first: its signature and hash are checked with the rest
            first.add(anchor.line());
            startSeq = anchor.seq() - 1;
            startHash = TrailRows.field(anchor.line(), "prev");
            if (!anchor.hash().equals(TrailRows.lineHash(anchor.line()))) {
                return fail(anchor.seq() - 1, anchor.seq(), "the anchor does not match its line");
            }
        } else if (anchor.seq() != 0) {
            return fail(0, anchor.seq(), "the anchor has no checkpoint line");
        }
        if (head.seq() < anchor.seq()) {
            return fail(anchor.seq(), head.seq(), "the head checkpoint lies before the anchor");
        }
        String headLine;
        AuditVerifier.Result r;
        try (PreparedStatement p =
                c.prepareStatement(
                        "SELECT seq, hash, line FROM audit_events WHERE chain = ? AND seq > ?"
                                + " ORDER BY seq")) {
            p.setString(1, ch.id());
            p.setLong(2, anchor.seq());
            p.setFetchSize(1000);
            try (ResultSet rows = p.executeQuery()) {
                Rows it = new Rows(first, rows, head.seq());
                if (anchor.line() == null && anchor.seq() == 0 && !it.hasNext()) {
                    r = new AuditVerifier.Result(true, 0, 0, -1, -1, null);
                } else {
                    r = AuditVerifier.verify(it, key, startSeq, startHash, ch.lineWriter());
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
                    "the trail is cut back: the writer's latest checkpoint is "
                            + head.seq()
                            + " but its chain is sealed only up to "
                            + r.sealedUpTo()
                            + " (records removed)");
        }
        if (!head.hash().equals(TrailRows.lineHash(headLine))) {
            return fail(head.seq() - 1, head.seq(), "the latest checkpoint was replaced");
        }
        return r;
    }

    private static AuditVerifier.Result fail(long sealed, long seq, String reason) {
        return new AuditVerifier.Result(false, 0, sealed, seq, -1, reason);
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
                if (badHashColumn < 0
                        && !rows.getString(2).trim().equals(TrailRows.lineHash(line))) {
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
