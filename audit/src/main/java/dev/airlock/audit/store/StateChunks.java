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
import java.util.Set;

/**
 * The chunk store under {@link SessionStates}: what a save encodes (manifests, the chunks they
 * need, the memo it leaves), uploading chunks the store lacks, loading a manifest's chunks through
 * this node's cache, and collecting chunks no manifest references.
 */
final class StateChunks {
    private static final int BATCH = 400;

    /** How many chunks a node keeps for loading states (at most 64 MiB). */
    private static final int CACHED_CHUNKS = 4096;

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

    /** Keeps chunks for later loads. */
    void cache(Map<String, byte[]> chunks) {
        synchronized (cache) {
            cache.putAll(chunks);
        }
    }

    /**
     * A large file as last saved: its length, CRC-32C and pieces' hashes. A file whose length and
     * CRC-32C are unchanged is not hashed again (a guest that forges a CRC collision in its own
     * file only makes its own session keep the file's earlier content).
     */
    record FileMemo(int length, long crc, String[] pieces) {}

    /** Files from this size on are checked by CRC-32C before being hashed again. */
    private static final int LARGE_FILE = 64 * 1024;

    /** What a save prepared: manifests and the chunks they need. */
    static final class Encoded {
        final Map<byte[], String> hashes = new IdentityHashMap<>();
        final Map<String, byte[]> chunks = new HashMap<>();
        final Set<String> referenced = new HashSet<>();
        final Map<String, FileMemo> files = new HashMap<>();

        byte[] manifest(Snapshot s, SessionStates.Memo memo) {
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

        private String[] pieces(Snapshot.Entry f, SessionStates.Memo memo) {
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

        void commit(SessionStates.Memo memo) {
            memo.hashes = hashes;
            memo.saved = new HashSet<>(referenced);
            memo.files = files;
        }
    }

    /**
     * Uploads the chunks the store may lack and marks every other one this save references as
     * touched now (so that collecting unreferenced chunks cannot take it meanwhile).
     */
    static void upload(Connection c, Encoded e, SessionStates.Memo memo, long now)
            throws SQLException {
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

    /**
     * The snapshot a manifest describes, its chunks from this node's cache or the store (checked
     * against their hashes); every chunk it names is marked saved in {@code memo}.
     */
    Snapshot decode(
            Connection c, byte[] manifest, SessionStates.Memo memo, String what, String location)
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
            throw new StoreException("store " + location + ": " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the chunks no manifest references and no save touched since {@code touchedBefore};
     * how many. Runs in the caller's write transaction.
     */
    int collect(Connection c, long touchedBefore, String location)
            throws SQLException, StoreException {
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
                                        + location
                                        + ": a session state is damaged: "
                                        + e.getMessage(),
                                e);
                    }
                }
            }
        }
        List<String> dead = new ArrayList<>();
        try (PreparedStatement p =
                c.prepareStatement("SELECT hash FROM state_chunks WHERE touched_at < ?")) {
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
                c.prepareStatement("DELETE FROM state_chunks WHERE hash = ? AND touched_at < ?")) {
            for (String h : dead) {
                p.setString(1, h);
                p.setLong(2, touchedBefore);
                n += p.executeUpdate();
            }
        }
        return n;
    }
}
