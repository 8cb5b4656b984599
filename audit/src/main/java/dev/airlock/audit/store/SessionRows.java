package dev.airlock.audit.store;

import dev.airlock.audit.store.SessionStates.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sessions table ({@code session_states}) under {@link SessionStates}: inserting a session,
 * reading its rows and removing a session with its snapshots.
 */
final class SessionRows {
    private static final String COLUMNS =
            "session_id, tenant, language, request, created_at, last_used_at, version, runs,"
                    + " node_id, busy_node, busy_until";

    private SessionRows() {}

    /** Inserts a session at version 1, held by no node, with its state and reset state. */
    static void insert(Connection c, Row row, byte[] manifest, byte[] baseManifest)
            throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement(
                        "INSERT INTO session_states (session_id, tenant, language,"
                                + " request, created_at, last_used_at, version, runs,"
                                + " node_id, busy_node, busy_until, state, base)"
                                + " VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, NULL, NULL, ?,"
                                + " ?)")) {
            p.setString(1, row.sessionId());
            p.setString(2, row.tenant());
            p.setString(3, row.language());
            p.setString(4, row.request());
            p.setLong(5, row.createdAt());
            p.setLong(6, row.lastUsedAt());
            p.setInt(7, row.runs());
            p.setString(8, row.nodeId());
            p.setBytes(9, manifest);
            p.setBytes(10, baseManifest);
            p.executeUpdate();
        }
    }

    /** A session's row, without its state. */
    static Optional<Row> row(Connection c, String sessionId) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM session_states WHERE session_id = ?")) {
            p.setString(1, sessionId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(row(r)) : Optional.empty();
            }
        }
    }

    /** The tenant's sessions, oldest first. */
    static List<Row> rows(Connection c, String tenant) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement(
                        "SELECT "
                                + COLUMNS
                                + " FROM session_states WHERE tenant = ? ORDER BY"
                                + " created_at, session_id")) {
            p.setString(1, tenant);
            List<Row> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(row(r));
                }
            }
            return out;
        }
    }

    private static Row row(ResultSet r) throws SQLException {
        return new Row(
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getString(4),
                r.getLong(5),
                r.getLong(6),
                r.getLong(7),
                r.getInt(8),
                r.getString(9),
                r.getString(10),
                r.getLong(11));
    }

    /**
     * The ids of the sessions last used at or before {@code idleBefore} that no node holds for a
     * call (or whose hold has passed).
     */
    static List<String> idle(Connection c, long idleBefore, long nowMillis) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement p =
                c.prepareStatement(
                        "SELECT session_id FROM session_states WHERE last_used_at <= ?"
                                + " AND (busy_node IS NULL OR busy_until <= ?)")) {
            p.setLong(1, idleBefore);
            p.setLong(2, nowMillis);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
        }
        return ids;
    }

    /** Removes a session and its snapshots; whether it was there. */
    static boolean delete(Connection c, String sessionId) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("DELETE FROM session_snapshots WHERE session_id = ?")) {
            p.setString(1, sessionId);
            p.executeUpdate();
        }
        try (PreparedStatement p =
                c.prepareStatement("DELETE FROM session_states WHERE session_id = ?")) {
            p.setString(1, sessionId);
            return p.executeUpdate() == 1;
        }
    }
}
