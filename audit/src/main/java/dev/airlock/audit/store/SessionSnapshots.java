package dev.airlock.audit.store;

import dev.airlock.core.Snapshot;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The snapshots that sessions kept in the store took, as manifests over the same chunks as the
 * sessions' states ({@link SessionStates#snapshots()}); removed with their session.
 */
public final class SessionSnapshots {
    private final Db db;
    private final StateChunks chunks;

    SessionSnapshots(Db db, StateChunks chunks) {
        this.db = db;
        this.chunks = chunks;
    }

    /** A snapshot of a session, as listed. */
    public record SnapshotRow(String snapshotId, long createdAt, long memoryBytes) {}

    /**
     * Keeps a snapshot of a session (its chunks shared with the session's state where equal).
     *
     * @throws StoreException if the store cannot be written
     */
    public void save(
            String snapshotId,
            String sessionId,
            long nowMillis,
            Snapshot snapshot,
            SessionStates.Memo memo)
            throws StoreException {
        StateChunks.Encoded e = new StateChunks.Encoded();
        byte[] manifest = e.manifest(snapshot, memo);
        db.write(
                "save snapshot " + snapshotId,
                c -> {
                    StateChunks.upload(c, e, memo, nowMillis);
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
        chunks.cache(e.chunks);
    }

    /**
     * The snapshots a session keeps, oldest first.
     *
     * @throws StoreException if the store cannot be read
     */
    public List<SnapshotRow> list(String sessionId) throws StoreException {
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
    public Optional<Snapshot> load(String sessionId, String snapshotId, SessionStates.Memo memo)
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
                    SessionStates.Memo m = new SessionStates.Memo();
                    m.hashes = seen;
                    Snapshot s =
                            chunks.decode(c, manifest, m, "snapshot " + snapshotId, db.location);
                    memo.hashes.putAll(seen);
                    memo.saved.addAll(m.saved);
                    return Optional.of(s);
                });
    }
}
