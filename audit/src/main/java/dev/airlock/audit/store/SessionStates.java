package dev.airlock.audit.store;

import dev.airlock.core.Snapshot;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Interpreter sessions kept in the store, so that every server node sharing it can continue them.
 * Made by {@link Store#sessionStates()}.
 *
 * <p>A session's state is a manifest over memory chunks stored once per distinct content (see
 * {@link StateCodec}): a save uploads only the chunks no manifest of the store holds yet, and
 * hashes only the chunks that changed since the state its {@link Memo} last saw. Every save names
 * the version it started from and fails if another node saved or removed the session meanwhile. A
 * call holds the session with {@link #claim} until it saves or {@linkplain #release releases} it,
 * or until the hold's deadline passes (its node died).
 */
public final class SessionStates {
    private final Db db;
    private final StateChunks chunks = new StateChunks();
    private final SessionSnapshots snapshots;

    SessionStates(Db db) {
        this.db = db;
        this.snapshots = new SessionSnapshots(db, chunks);
    }

    /** The snapshots sessions took, kept beside them (and removed with them). */
    public SessionSnapshots snapshots() {
        return snapshots;
    }

    /**
     * A session's row.
     *
     * @param request the JSON it was opened with
     * @param version how many changes were saved (1 when opened)
     * @param runs snippets run so far
     * @param nodeId the node that saved it last
     * @param busyNode the node holding it for a call, or {@code null}
     * @param busyUntil until when that hold counts (epoch milliseconds)
     */
    public record Row(
            String sessionId,
            String tenant,
            String language,
            String request,
            long createdAt,
            long lastUsedAt,
            long version,
            int runs,
            String nodeId,
            String busyNode,
            long busyUntil) {
        public Row {
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(language, "language");
            Objects.requireNonNull(request, "request");
        }
    }

    /** A session loaded from the store: its row, state and reset state ({@code null}: none). */
    public record Loaded(Row row, Snapshot state, Snapshot base) {}

    /**
     * What a node knows of one session's saved chunks: the hash of each chunk array it saved or
     * loaded last, so that the next save hashes and uploads only new ones. Not thread-safe: one per
     * session, used under its lock.
     */
    public static final class Memo {
        Map<byte[], String> hashes = new IdentityHashMap<>();
        Set<String> saved = new HashSet<>();
        Map<String, StateChunks.FileMemo> files = new HashMap<>();

        /** Forgets everything: the next save hashes and checks every chunk. */
        public void clear() {
            hashes = new IdentityHashMap<>();
            saved = new HashSet<>();
            files = new HashMap<>();
        }
    }

    /**
     * Stores a new session at version 1, with the state a stopped call resets to ({@code null}: a
     * fresh interpreter).
     *
     * @throws StoreException if the store cannot be written (or the id is taken)
     */
    public void create(Row row, Snapshot state, Snapshot base, Memo memo, long nowMillis)
            throws StoreException {
        StateChunks.Encoded e = new StateChunks.Encoded();
        byte[] manifest = e.manifest(state, memo);
        byte[] baseManifest = base == null ? null : e.manifest(base, memo);
        db.write(
                "save new session " + row.sessionId(),
                c -> {
                    StateChunks.upload(c, e, memo, nowMillis);
                    SessionRows.insert(c, row, manifest, baseManifest);
                    return null;
                });
        e.commit(memo);
        chunks.cache(e.chunks);
    }

    /**
     * Saves a session's new state over version {@code fromVersion}, releasing its hold. {@code
     * base} is saved only when {@code baseChanged} ({@code null}: reset to a fresh interpreter).
     *
     * @return the new version, or empty if the session was saved by another node or removed
     *     meanwhile (nothing is written then)
     * @throws StoreException if the store cannot be written
     */
    public Optional<Long> save(
            String sessionId,
            long fromVersion,
            int runs,
            String nodeId,
            long nowMillis,
            Snapshot state,
            Snapshot base,
            boolean baseChanged,
            Memo memo)
            throws StoreException {
        StateChunks.Encoded e = new StateChunks.Encoded();
        byte[] manifest = e.manifest(state, memo);
        byte[] baseManifest = baseChanged && base != null ? e.manifest(base, memo) : null;
        boolean saved =
                db.write(
                        "save session " + sessionId,
                        c -> {
                            StateChunks.upload(c, e, memo, nowMillis);
                            String sql =
                                    "UPDATE session_states SET state = ?, version = ?, runs = ?,"
                                            + " node_id = ?, last_used_at = ?, busy_node = NULL,"
                                            + " busy_until = NULL"
                                            + (baseChanged ? ", base = ?" : "")
                                            + " WHERE session_id = ? AND version = ?";
                            try (PreparedStatement p = c.prepareStatement(sql)) {
                                int i = 1;
                                p.setBytes(i++, manifest);
                                p.setLong(i++, fromVersion + 1);
                                p.setInt(i++, runs);
                                p.setString(i++, nodeId);
                                p.setLong(i++, nowMillis);
                                if (baseChanged) {
                                    p.setBytes(i++, baseManifest);
                                }
                                p.setString(i++, sessionId);
                                p.setLong(i, fromVersion);
                                return p.executeUpdate() == 1;
                            }
                        });
        if (!saved) {
            memo.clear();
            return Optional.empty();
        }
        if (!baseChanged) {
            e.hashes.putAll(memo.hashes); // keep the base's chunks known
        }
        e.commit(memo);
        chunks.cache(e.chunks);
        return Optional.of(fromVersion + 1);
    }

    /** What {@link #claim} found. */
    public sealed interface Claim {}

    /** The session is held for this node's call; its row as it is now. */
    public record Claimed(Row row) implements Claim {}

    /** Another node holds the session for a call until {@code until}. */
    public record Busy(String node, long until) implements Claim {}

    /** No such session of that tenant. */
    public record Missing() implements Claim {}

    /**
     * Holds the tenant's session for one call on {@code nodeId} until {@code untilMillis}, unless
     * another node holds it, its deadline has not passed and that node is not silent (see {@link
     * Store#SILENT_NODE_MILLIS}).
     *
     * @throws StoreException if the store cannot be written
     */
    public Claim claim(
            String sessionId, String tenant, String nodeId, long nowMillis, long untilMillis)
            throws StoreException {
        return db.write(
                "hold session " + sessionId,
                c -> {
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "UPDATE session_states SET busy_node = ?, busy_until = ? WHERE"
                                            + " session_id = ? AND tenant = ? AND (busy_node IS NULL"
                                            + " OR busy_until <= ? OR busy_node = ? OR busy_node"
                                            + " IN (SELECT node_id FROM node_heartbeats WHERE"
                                            + " seen_at <= ?))")) {
                        p.setString(1, nodeId);
                        p.setLong(2, untilMillis);
                        p.setString(3, sessionId);
                        p.setString(4, tenant);
                        p.setLong(5, nowMillis);
                        p.setString(6, nodeId);
                        p.setLong(7, nowMillis - Store.SILENT_NODE_MILLIS);
                        p.executeUpdate();
                    }
                    Optional<Row> row = SessionRows.row(c, sessionId);
                    if (row.isEmpty() || !row.get().tenant().equals(tenant)) {
                        return new Missing();
                    }
                    Row r = row.get();
                    return nodeId.equals(r.busyNode())
                            ? new Claimed(r)
                            : new Busy(r.busyNode(), r.busyUntil());
                });
    }

    /**
     * Ends this node's hold without saving a change; the session counts as used now. Does nothing
     * if the node does not hold it.
     *
     * @throws StoreException if the store cannot be written
     */
    public void release(String sessionId, String nodeId, long nowMillis) throws StoreException {
        db.write(
                "release session " + sessionId,
                c -> {
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "UPDATE session_states SET busy_node = NULL, busy_until = NULL,"
                                            + " last_used_at = ? WHERE session_id = ? AND"
                                            + " busy_node = ?")) {
                        p.setLong(1, nowMillis);
                        p.setString(2, sessionId);
                        p.setString(3, nodeId);
                        p.executeUpdate();
                    }
                    return null;
                });
    }

    /**
     * A session's row, without its state.
     *
     * @throws StoreException if the store cannot be read
     */
    public Optional<Row> row(String sessionId) throws StoreException {
        return db.read("read session " + sessionId, c -> SessionRows.row(c, sessionId));
    }

    /**
     * The tenant's sessions, oldest first.
     *
     * @throws StoreException if the store cannot be read
     */
    public List<Row> rows(String tenant) throws StoreException {
        return db.read("list sessions of " + tenant, c -> SessionRows.rows(c, tenant));
    }

    /**
     * A session with its state and reset state, its chunks' hashes put in {@code memo}.
     *
     * @throws StoreException if the store cannot be read, or the state is damaged or lost a chunk
     */
    public Optional<Loaded> load(String sessionId, Memo memo) throws StoreException {
        return db.read(
                "load session " + sessionId,
                c -> {
                    Optional<Row> row = SessionRows.row(c, sessionId);
                    if (row.isEmpty()) {
                        return Optional.empty();
                    }
                    byte[] state;
                    byte[] base;
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "SELECT state, base FROM session_states WHERE session_id"
                                            + " = ?")) {
                        p.setString(1, sessionId);
                        try (ResultSet r = p.executeQuery()) {
                            r.next();
                            state = r.getBytes(1);
                            base = r.getBytes(2);
                        }
                    }
                    memo.clear();
                    Snapshot s = chunks.decode(c, state, memo, "session " + sessionId, db.location);
                    Snapshot b =
                            base == null
                                    ? null
                                    : chunks.decode(
                                            c, base, memo, "session " + sessionId, db.location);
                    return Optional.of(new Loaded(row.get(), s, b));
                });
    }

    /**
     * Removes a session and its snapshots; whether it was there.
     *
     * @throws StoreException if the store cannot be written
     */
    public boolean delete(String sessionId) throws StoreException {
        return db.write("remove session " + sessionId, c -> SessionRows.delete(c, sessionId));
    }

    /**
     * Removes the sessions last used at or before {@code idleBefore} that no node holds for a call
     * (or whose hold has passed); their ids.
     *
     * @throws StoreException if the store cannot be written
     */
    public List<String> expire(long idleBefore, long nowMillis) throws StoreException {
        return db.write(
                "expire idle sessions",
                c -> {
                    List<String> ids = SessionRows.idle(c, idleBefore, nowMillis);
                    for (String id : ids) {
                        SessionRows.delete(c, id);
                    }
                    return ids;
                });
    }

    /**
     * Deletes the chunks that no session, reset state or snapshot references and that no save
     * touched since {@code touchedBefore} (which must lie further back than the longest save
     * takes); how many.
     *
     * @throws StoreException if the store cannot be written or a manifest is damaged
     */
    public int collectChunks(long touchedBefore) throws StoreException {
        return db.write(
                "collect unused session chunks",
                c -> {
                    return chunks.collect(c, touchedBefore, db.location);
                });
    }
}
