package dev.airlock.audit.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Tenants' quotas held in the store, so that they hold across every server node sharing it: the
 * executions running at once, and those started in the last minute. Made by {@link
 * Store#runSlots()}.
 *
 * <p>Each execution takes a row when it starts and marks it ended when it ends. Taking one counts
 * the tenant's rows under a lock on the tenant (a PostgreSQL transaction-level advisory lock;
 * SQLite's write lock), so two nodes never both take the last place. A row whose node died before
 * it ended counts as running until its lease ends ({@code leaseMillis} after its start), or until
 * its node has been silent for {@link Store#SILENT_NODE_MILLIS}: the tolerance after a crash. Times
 * are the nodes' wall clocks, so the per-minute window is as exact as their clocks agree.
 */
public final class RunSlots {
    private static final long MINUTE = 60_000;
    private static final int LOCK_CLASS = 0x41_4c_51; // 'ALQ'
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Db db;

    RunSlots(Db db) {
        this.db = db;
    }

    /** What {@link #acquire} decided. */
    public sealed interface Decision {}

    /** A place was taken: {@link #release} it when the execution ends. */
    public record Granted(String slotId) implements Decision {}

    /** The tenant already runs {@code running} executions, its limit. */
    public record TooManyRunning(int running) implements Decision {}

    /** The tenant started {@code started} executions in the last minute; one more in a while. */
    public record TooManyPerMinute(int started, long retryAfterMillis) implements Decision {}

    /**
     * Takes a place for one execution of {@code tenant}, unless it already runs {@code
     * maxConcurrent} executions or started {@code maxPerMinute} in the minute before {@code
     * nowMillis}.
     *
     * @param leaseMillis how long the place counts as taken if it is never released (its node
     *     died); at least the longest run the tenant may start
     * @throws IllegalArgumentException for limits below 1 or a lease below 1 ms
     * @throws StoreException if the store cannot be written
     */
    public Decision acquire(
            String tenant,
            int maxConcurrent,
            int maxPerMinute,
            long leaseMillis,
            String nodeId,
            long nowMillis)
            throws StoreException {
        Objects.requireNonNull(tenant, "tenant");
        if (maxConcurrent < 1 || maxPerMinute < 1 || leaseMillis < 1) {
            throw new IllegalArgumentException("limits and lease must be >= 1");
        }
        return db.write(
                "take a run slot of tenant " + tenant,
                c -> {
                    lockTenant(c, tenant);
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "DELETE FROM run_slots WHERE tenant = ? AND started_at <= ?"
                                            + " AND (ended = ? OR expires_at <= ?)")) {
                        p.setString(1, tenant);
                        p.setLong(2, nowMillis - MINUTE);
                        p.setBoolean(3, true);
                        p.setLong(4, nowMillis);
                        p.executeUpdate();
                    }
                    int running;
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "SELECT count(*) FROM run_slots WHERE tenant = ? AND ended = ?"
                                            + " AND expires_at > ? AND (node_id IS NULL OR"
                                            + " node_id NOT IN (SELECT node_id FROM"
                                            + " node_heartbeats WHERE seen_at <= ?))")) {
                        p.setString(1, tenant);
                        p.setBoolean(2, false);
                        p.setLong(3, nowMillis);
                        p.setLong(4, nowMillis - Store.SILENT_NODE_MILLIS);
                        try (ResultSet r = p.executeQuery()) {
                            r.next();
                            running = r.getInt(1);
                        }
                    }
                    if (running >= maxConcurrent) {
                        return new TooManyRunning(running);
                    }
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "SELECT count(*), min(started_at) FROM run_slots WHERE tenant"
                                            + " = ? AND started_at > ?")) {
                        p.setString(1, tenant);
                        p.setLong(2, nowMillis - MINUTE);
                        try (ResultSet r = p.executeQuery()) {
                            r.next();
                            int started = r.getInt(1);
                            if (started >= maxPerMinute) {
                                long retry = Math.max(1, r.getLong(2) + MINUTE - nowMillis);
                                return new TooManyPerMinute(started, retry);
                            }
                        }
                    }
                    byte[] b = new byte[12];
                    RANDOM.nextBytes(b);
                    String id = HexFormat.of().formatHex(b);
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "INSERT INTO run_slots (slot_id, tenant, node_id, started_at,"
                                            + " expires_at, ended) VALUES (?, ?, ?, ?, ?, ?)")) {
                        p.setString(1, id);
                        p.setString(2, tenant);
                        p.setString(3, nodeId);
                        p.setLong(4, nowMillis);
                        p.setLong(5, nowMillis + leaseMillis);
                        p.setBoolean(6, false);
                        p.executeUpdate();
                    }
                    return new Granted(id);
                });
    }

    /**
     * Marks the place ended: it no longer counts as running (it still counts among the minute's
     * starts). Idempotent.
     *
     * @throws StoreException if the store cannot be written
     */
    public void release(String slotId) throws StoreException {
        db.write(
                "release run slot " + slotId,
                c -> {
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "UPDATE run_slots SET ended = ? WHERE slot_id = ?")) {
                        p.setBoolean(1, true);
                        p.setString(2, slotId);
                        p.executeUpdate();
                    }
                    return null;
                });
    }

    /** Serializes takers of one tenant's places until the transaction ends. */
    private void lockTenant(Connection c, String tenant) throws SQLException {
        if (db.dialect != Db.Dialect.POSTGRESQL) {
            return; // SQLite: BEGIN IMMEDIATE holds the database's write lock already
        }
        try (PreparedStatement p =
                c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            p.setInt(1, LOCK_CLASS);
            p.setString(2, tenant);
            p.executeQuery().close();
        }
    }
}
