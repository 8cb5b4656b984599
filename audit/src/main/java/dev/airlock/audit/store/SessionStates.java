package dev.airlock.audit.store;

import dev.airlock.core.Snapshot;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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
    private static final int BATCH = 400;

    /** How many chunks a node keeps for loading states (at most 64 MiB). */
    private static final int CACHED_CHUNKS = 4096;

    private final Db db;

    /**
     * Chunks by hash that this node saved or loaded, for the next load: most of any state is its
     * interpreter's start image, which then need not come from the store again. Chunks are never
     * written once in a state, so sharing them is safe.
     */
    private final Map<String, byte[]> cache =
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                    return size() > CACHED_CHUNKS;
                }
            };

    SessionStates(Db db) {
        this.db = db;
    }

    private void cache(Map<String, byte[]> chunks) {
        synchronized (cache) {
            cache.putAll(chunks);
        }
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

    /** A snapshot of a session, as listed. */
    public record SnapshotRow(String snapshotId, long createdAt, long memoryBytes) {}

    /**
     * What a node knows of one session's saved chunks: the hash of each chunk array it saved or
     * loaded last, so that the next save hashes and uploads only new ones. Not thread-safe: one per
     * session, used under its lock.
     */
    public static final class Memo {
        private Map<byte[], String> hashes = new IdentityHashMap<>();
        private Set<String> saved = new HashSet<>();
        private Map<String, FileMemo> files = new HashMap<>();

        /** Forgets everything: the next save hashes and checks every chunk. */
        public void clear() {
            hashes = new IdentityHashMap<>();
            saved = new HashSet<>();
            files = new HashMap<>();
        }
    }

    /**
     * A large file as last saved: its length, CRC-32C and pieces' hashes. A file whose length and
     * CRC-32C are unchanged is not hashed again (a guest that forges a CRC collision in its own
     * file only makes its own session keep the file's earlier content).
     */
    private record FileMemo(int length, long crc, String[] pieces) {}

    /** Files from this size on are checked by CRC-32C before being hashed again. */
    private static final int LARGE_FILE = 64 * 1024;

    /** What a save prepared: manifests and the chunks they need. */
    private static final class Encoded {
        final Map<byte[], String> hashes = new IdentityHashMap<>();
        final Map<String, byte[]> chunks = new HashMap<>();
        final Set<String> referenced = new HashSet<>();
        final Map<String, FileMemo> files = new HashMap<>();

        byte[] manifest(Snapshot s, Memo memo) {
            byte[][] mem = s.chunksShared();
            String[] hex = new String[mem.length];
            for (int i = 0; i < mem.length; i++) {
                byte[] c = mem[i];
                String h = hashes.get(c);
                if (h == null) {
                    h = memo.hashes.get(c);
                    if (h == null) {
                        h = StateCodec.hash(c);
                    }
                    hashes.put(c, h);
                }
                hex[i] = h;
                if (!h.equals(StateCodec.ZERO)) {
                    chunks.putIfAbsent(h, c);
                    referenced.add(h);
                }
            }
            List<String[]> pieces = new ArrayList<>();
            for (Snapshot.Entry f : s.files()) {
                if (f.isDirectory()) {
                    pieces.add(null);
                    continue;
                }
                pieces.add(pieces(f, memo));
            }
            return StateCodec.manifest(s, hex, pieces);
        }

        private String[] pieces(Snapshot.Entry f, Memo memo) {
            byte[] content = f.content();
            long crc = 0;
            if (content.length >= LARGE_FILE) {
                java.util.zip.CRC32C c = new java.util.zip.CRC32C();
                c.update(content);
                crc = c.getValue();
                FileMemo known = memo.files.get(f.path());
                if (known != null
                        && known.length() == content.length
                        && known.crc() == crc
                        && memo.saved.containsAll(nonZero(known.pieces()))) {
                    referenced.addAll(nonZero(known.pieces()));
                    files.put(f.path(), known);
                    return known.pieces();
                }
            }
            List<byte[]> cut = StateCodec.pieces(content);
            String[] ph = new String[cut.size()];
            for (int i = 0; i < ph.length; i++) {
                ph[i] = StateCodec.hash(cut.get(i));
                if (!ph[i].equals(StateCodec.ZERO)) {
                    chunks.putIfAbsent(ph[i], cut.get(i));
                    referenced.add(ph[i]);
                }
            }
            if (content.length >= LARGE_FILE) {
                files.put(f.path(), new FileMemo(content.length, crc, ph));
            }
            return ph;
        }

        private static List<String> nonZero(String[] hashes) {
            List<String> out = new ArrayList<>(hashes.length);
            for (String h : hashes) {
                if (!h.equals(StateCodec.ZERO)) {
                    out.add(h);
                }
            }
            return out;
        }

        void commit(Memo memo) {
            memo.hashes = hashes;
            memo.saved = new HashSet<>(referenced);
            memo.files = files;
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
        Encoded e = new Encoded();
        byte[] manifest = e.manifest(state, memo);
        byte[] baseManifest = base == null ? null : e.manifest(base, memo);
        db.write(
                "save new session " + row.sessionId(),
                c -> {
                    upload(c, e, memo, nowMillis);
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
                    return null;
                });
        e.commit(memo);
        cache(e.chunks);
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
        Encoded e = new Encoded();
        byte[] manifest = e.manifest(state, memo);
        byte[] baseManifest = baseChanged && base != null ? e.manifest(base, memo) : null;
        boolean saved =
                db.write(
                        "save session " + sessionId,
                        c -> {
                            upload(c, e, memo, nowMillis);
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
        cache(e.chunks);
        return Optional.of(fromVersion + 1);
    }

    /**
     * Uploads the chunks the store may lack and marks every other one this save references as
     * touched now (so that collecting unreferenced chunks cannot take it meanwhile).
     */
    private static void upload(Connection c, Encoded e, Memo memo, long now) throws SQLException {
        List<String> check = new ArrayList<>();
        for (String h : e.chunks.keySet()) {
            if (!memo.saved.contains(h)) {
                check.add(h);
            }
        }
        Set<String> present = new HashSet<>();
        for (int from = 0; from < check.size(); from += BATCH) {
            List<String> part = check.subList(from, Math.min(check.size(), from + BATCH));
            String in = "?" + ",?".repeat(part.size() - 1);
            try (PreparedStatement p =
                    c.prepareStatement(
                            "UPDATE state_chunks SET touched_at = ? WHERE hash IN (" + in + ")")) {
                p.setLong(1, now);
                for (int i = 0; i < part.size(); i++) {
                    p.setString(i + 2, part.get(i));
                }
                p.executeUpdate();
            }
            try (PreparedStatement p =
                    c.prepareStatement(
                            "SELECT hash FROM state_chunks WHERE hash IN (" + in + ")")) {
                for (int i = 0; i < part.size(); i++) {
                    p.setString(i + 1, part.get(i));
                }
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        present.add(r.getString(1).strip());
                    }
                }
            }
        }
        try (PreparedStatement p =
                c.prepareStatement(
                        "INSERT INTO state_chunks (hash, data, touched_at) VALUES (?, ?, ?)"
                                + " ON CONFLICT (hash) DO UPDATE SET touched_at = ?")) {
            int pending = 0;
            for (String h : check) {
                if (present.contains(h)) {
                    continue;
                }
                p.setString(1, h);
                p.setBytes(2, StateCodec.pack(e.chunks.get(h)));
                p.setLong(3, now);
                p.setLong(4, now);
                p.addBatch();
                if (++pending == 64) {
                    p.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                p.executeBatch();
            }
        }
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
                    Optional<Row> row = row(c, sessionId);
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
        return db.read("read session " + sessionId, c -> row(c, sessionId));
    }

    private static final String COLUMNS =
            "session_id, tenant, language, request, created_at, last_used_at, version, runs,"
                    + " node_id, busy_node, busy_until";

    private static Optional<Row> row(Connection c, String sessionId) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM session_states WHERE session_id = ?")) {
            p.setString(1, sessionId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(row(r)) : Optional.empty();
            }
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
     * The tenant's sessions, oldest first.
     *
     * @throws StoreException if the store cannot be read
     */
    public List<Row> rows(String tenant) throws StoreException {
        return db.read(
                "list sessions of " + tenant,
                c -> {
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
                });
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
                    Optional<Row> row = row(c, sessionId);
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
                    Snapshot s = decode(c, state, memo, "session " + sessionId);
                    Snapshot b =
                            base == null ? null : decode(c, base, memo, "session " + sessionId);
                    return Optional.of(new Loaded(row.get(), s, b));
                });
    }

    private Snapshot decode(Connection c, byte[] manifest, Memo memo, String what)
            throws SQLException, StoreException {
        try {
            List<String> wanted = new ArrayList<>();
            Map<String, byte[]> chunks = new HashMap<>();
            Set<String> all = StateCodec.chunkHashes(manifest);
            memo.saved.addAll(all);
            synchronized (cache) {
                for (String h : all) {
                    byte[] known = cache.get(h);
                    if (known == null) {
                        wanted.add(h);
                    } else {
                        chunks.put(h, known);
                    }
                }
            }
            Map<String, byte[]> fetched = new HashMap<>();
            for (int from = 0; from < wanted.size(); from += BATCH) {
                List<String> part = wanted.subList(from, Math.min(wanted.size(), from + BATCH));
                String in = "?" + ",?".repeat(part.size() - 1);
                try (PreparedStatement p =
                        c.prepareStatement(
                                "SELECT hash, data FROM state_chunks WHERE hash IN (" + in + ")")) {
                    for (int i = 0; i < part.size(); i++) {
                        p.setString(i + 1, part.get(i));
                    }
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            String h = r.getString(1).strip();
                            fetched.put(h, StateCodec.unpack(r.getBytes(2), h));
                        }
                    }
                }
            }
            chunks.putAll(fetched);
            Snapshot s = StateCodec.decode(manifest, chunks::get, memo.hashes);
            cache(fetched);
            return s;
        } catch (IOException e) {
            throw new StoreException(
                    "store " + db.location + ": " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes a session and its snapshots; whether it was there.
     *
     * @throws StoreException if the store cannot be written
     */
    public boolean delete(String sessionId) throws StoreException {
        return db.write("remove session " + sessionId, c -> deleteIn(c, sessionId));
    }

    private static boolean deleteIn(Connection c, String sessionId) throws SQLException {
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
                    for (String id : ids) {
                        deleteIn(c, id);
                    }
                    return ids;
                });
    }

    /**
     * Keeps a snapshot of a session (its chunks shared with the session's state where equal).
     *
     * @throws StoreException if the store cannot be written
     */
    public void saveSnapshot(
            String snapshotId, String sessionId, long nowMillis, Snapshot snapshot, Memo memo)
            throws StoreException {
        Encoded e = new Encoded();
        byte[] manifest = e.manifest(snapshot, memo);
        db.write(
                "save snapshot " + snapshotId,
                c -> {
                    upload(c, e, memo, nowMillis);
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "INSERT INTO session_snapshots (snapshot_id, session_id,"
                                            + " created_at, memory_bytes, state) VALUES (?, ?, ?,"
                                            + " ?, ?)")) {
                        p.setString(1, snapshotId);
                        p.setString(2, sessionId);
                        p.setLong(3, nowMillis);
                        p.setLong(4, snapshot.memoryBytes());
                        p.setBytes(5, manifest);
                        p.executeUpdate();
                    }
                    return null;
                });
        memo.hashes.putAll(e.hashes);
        memo.saved.addAll(e.referenced);
        cache(e.chunks);
    }

    /**
     * The snapshots a session keeps, oldest first.
     *
     * @throws StoreException if the store cannot be read
     */
    public List<SnapshotRow> snapshots(String sessionId) throws StoreException {
        return db.read(
                "list snapshots of " + sessionId,
                c -> {
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "SELECT snapshot_id, created_at, memory_bytes FROM"
                                            + " session_snapshots WHERE session_id = ? ORDER BY"
                                            + " created_at, snapshot_id")) {
                        p.setString(1, sessionId);
                        List<SnapshotRow> out = new ArrayList<>();
                        try (ResultSet r = p.executeQuery()) {
                            while (r.next()) {
                                out.add(
                                        new SnapshotRow(
                                                r.getString(1), r.getLong(2), r.getLong(3)));
                            }
                        }
                        return out;
                    }
                });
    }

    /**
     * One of a session's snapshots, its chunks' hashes added to {@code memo}.
     *
     * @throws StoreException if the store cannot be read, or the snapshot is damaged
     */
    public Optional<Snapshot> snapshot(String sessionId, String snapshotId, Memo memo)
            throws StoreException {
        return db.read(
                "load snapshot " + snapshotId,
                c -> {
                    byte[] manifest;
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "SELECT state FROM session_snapshots WHERE snapshot_id = ? AND"
                                            + " session_id = ?")) {
                        p.setString(1, snapshotId);
                        p.setString(2, sessionId);
                        try (ResultSet r = p.executeQuery()) {
                            if (!r.next()) {
                                return Optional.empty();
                            }
                            manifest = r.getBytes(1);
                        }
                    }
                    Map<byte[], String> seen = new IdentityHashMap<>();
                    Memo m = new Memo();
                    m.hashes = seen;
                    Snapshot s = decode(c, manifest, m, "snapshot " + snapshotId);
                    memo.hashes.putAll(seen);
                    memo.saved.addAll(m.saved);
                    return Optional.of(s);
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
                    Set<String> live = new HashSet<>();
                    for (String sql :
                            List.of(
                                    "SELECT state FROM session_states",
                                    "SELECT base FROM session_states WHERE base IS NOT NULL",
                                    "SELECT state FROM session_snapshots")) {
                        try (PreparedStatement p = c.prepareStatement(sql);
                                ResultSet r = p.executeQuery()) {
                            while (r.next()) {
                                try {
                                    live.addAll(StateCodec.chunkHashes(r.getBytes(1)));
                                } catch (IOException e) {
                                    throw new StoreException(
                                            "store "
                                                    + db.location
                                                    + ": a session state is damaged: "
                                                    + e.getMessage(),
                                            e);
                                }
                            }
                        }
                    }
                    List<String> dead = new ArrayList<>();
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "SELECT hash FROM state_chunks WHERE touched_at < ?")) {
                        p.setLong(1, touchedBefore);
                        try (ResultSet r = p.executeQuery()) {
                            while (r.next()) {
                                String h = r.getString(1).strip();
                                if (!live.contains(h)) {
                                    dead.add(h);
                                }
                            }
                        }
                    }
                    int n = 0;
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "DELETE FROM state_chunks WHERE hash = ? AND touched_at < ?")) {
                        for (String h : dead) {
                            p.setString(1, h);
                            p.setLong(2, touchedBefore);
                            n += p.executeUpdate();
                        }
                    }
                    return n;
                });
    }
}
