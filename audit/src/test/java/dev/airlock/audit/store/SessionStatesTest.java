package dev.airlock.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.Snapshot;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sessions kept in the store: states round-trip, chunks are stored once per content and a save
 * uploads only what changed, saves over a stale version and holds of another node are refused, idle
 * sessions expire, unreferenced chunks are collected and a damaged chunk is named.
 */
class SessionStatesTest extends StoreFixture {
    static final String SHA = "ab".repeat(32);
    static final int CHUNKS = 16; // 4 pages

    static byte[][] memory(long seed) {
        Random r = new Random(seed);
        byte[][] mem = new byte[CHUNKS][];
        for (int i = 0; i < CHUNKS; i++) {
            mem[i] = new byte[Snapshot.CHUNK_BYTES];
            if (i % 4 != 3) { // every fourth chunk stays zero
                r.nextBytes(mem[i]);
            }
        }
        return mem;
    }

    static Snapshot snapshot(byte[][] mem, long global, String file) {
        return new Snapshot(
                SHA,
                mem,
                new long[] {global, 0},
                new int[][] {{0, -1, 2}},
                List.of(
                        new Snapshot.Entry("/workspace", null),
                        new Snapshot.Entry("/workspace/a.txt", file.getBytes())));
    }

    static SessionStates.Row row(String id, String tenant) {
        return new SessionStates.Row(id, tenant, "python", "{}", T0, T0, 1, 0, "node-a", null, 0);
    }

    long chunkRows() throws Exception {
        try (Connection c = backend.raw();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM state_chunks")) {
            r.next();
            return r.getLong(1);
        }
    }

    static void assertSame(Snapshot a, Snapshot b) {
        assertThat(b.moduleSha256()).isEqualTo(a.moduleSha256());
        assertThat(b.chunksShared()).isDeepEqualTo(a.chunksShared());
        assertThat(b.globals()).isEqualTo(a.globals());
        assertThat(b.tables()).isDeepEqualTo(a.tables());
        assertThat(b.files()).hasSameSizeAs(a.files());
        for (int i = 0; i < a.files().size(); i++) {
            assertThat(b.files().get(i).path()).isEqualTo(a.files().get(i).path());
            assertThat(b.files().get(i).content()).isEqualTo(a.files().get(i).content());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aStateRoundTripsAndChunksAreKeptOncePerContent(String name) throws Exception {
        try (Store store = open(name)) {
            SessionStates states = store.sessionStates();
            byte[][] mem = memory(1);
            Snapshot first = snapshot(mem, 7, "hello");
            SessionStates.Memo memo = new SessionStates.Memo();
            states.create(row("s1", "acme"), first, null, memo, T0);
            // 12 memory chunks (the four zero ones are not stored) and the file's one piece
            assertThat(chunkRows()).isEqualTo(13);

            // a second session with the same memory adds only its file's piece
            states.create(
                    row("s2", "acme"),
                    snapshot(memory(1), 8, "x"),
                    first,
                    new SessionStates.Memo(),
                    T0);
            assertThat(chunkRows()).isEqualTo(14);

            // one chunk and the file changed: two new chunks stored
            byte[][] next = mem.clone();
            next[0] = mem[0].clone();
            next[0][5] ^= 1;
            Snapshot second = snapshot(next, 9, "hello again");
            assertThat(states.save("s1", 1, 3, "node-a", T0 + 1, second, null, false, memo))
                    .contains(2L);
            assertThat(chunkRows()).isEqualTo(16);

            SessionStates other = store.sessionStates(); // another node: nothing cached
            SessionStates.Loaded l = other.load("s1", new SessionStates.Memo()).orElseThrow();
            assertSame(second, l.state());
            assertThat(l.base()).isNull();
            assertThat(l.row().version()).isEqualTo(2);
            assertThat(l.row().runs()).isEqualTo(3);
            SessionStates.Loaded l2 = other.load("s2", new SessionStates.Memo()).orElseThrow();
            assertSame(first, l2.base());
            assertThat(states.rows("acme"))
                    .extracting(SessionStates.Row::sessionId)
                    .containsExactly("s1", "s2");
            assertThat(states.rows("other")).isEmpty();

            // a save over a version another node already replaced is refused and writes nothing
            assertThat(
                            states.save(
                                    "s1",
                                    1,
                                    4,
                                    "node-b",
                                    T0 + 2,
                                    first,
                                    null,
                                    false,
                                    new SessionStates.Memo()))
                    .isEmpty();
            assertSame(second, states.load("s1", new SessionStates.Memo()).orElseThrow().state());
            assertThat(states.save("gone", 1, 0, "node-a", T0, first, null, false, memo)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aLargeFileIsStoredInPiecesAndOnlyChangedPiecesAgain(String name) throws Exception {
        try (Store store = open(name)) {
            SessionStates states = store.sessionStates();
            byte[] big = new byte[5 * Snapshot.CHUNK_BYTES + 100];
            new Random(9).nextBytes(big);
            byte[][] mem = memory(8);
            SessionStates.Memo memo = new SessionStates.Memo();
            states.create(row("s1", "acme"), withFile(mem, big), null, memo, T0);
            long before = chunkRows();
            assertThat(before).isEqualTo(12 + 6);

            // unchanged: nothing new; one byte changed in place: one new piece
            assertThat(
                            states.save(
                                    "s1",
                                    1,
                                    1,
                                    "n",
                                    T0,
                                    withFile(mem, big.clone()),
                                    null,
                                    false,
                                    memo))
                    .contains(2L);
            assertThat(chunkRows()).isEqualTo(before);
            byte[] changed = big.clone();
            changed[3 * Snapshot.CHUNK_BYTES + 7] ^= 0x20;
            assertThat(states.save("s1", 2, 2, "n", T0, withFile(mem, changed), null, false, memo))
                    .contains(3L);
            assertThat(chunkRows()).isEqualTo(before + 1);
            Snapshot back =
                    store.sessionStates()
                            .load("s1", new SessionStates.Memo())
                            .orElseThrow()
                            .state();
            assertThat(back.files().get(0).content()).isEqualTo(changed);
        }
    }

    static Snapshot withFile(byte[][] mem, byte[] content) {
        return new Snapshot(
                SHA,
                mem,
                new long[0],
                new int[0][],
                List.of(new Snapshot.Entry("/workspace/big.bin", content)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aHeldSessionIsBusyForOtherNodesUntilItsDeadline(String name) throws Exception {
        try (Store store = open(name)) {
            SessionStates states = store.sessionStates();
            states.create(
                    row("s1", "acme"),
                    snapshot(memory(2), 1, "a"),
                    null,
                    new SessionStates.Memo(),
                    T0);

            assertThat(states.claim("s1", "acme", "node-a", T0, T0 + 1000))
                    .isInstanceOf(SessionStates.Claimed.class);
            assertThat(states.claim("s1", "acme", "node-b", T0 + 10, T0 + 2000))
                    .isEqualTo(new SessionStates.Busy("node-a", T0 + 1000));
            assertThat(states.claim("s1", "other", "node-b", T0 + 10, T0 + 2000))
                    .isInstanceOf(SessionStates.Missing.class);
            assertThat(states.claim("nope", "acme", "node-b", T0, T0 + 2000))
                    .isInstanceOf(SessionStates.Missing.class);
            // node A died: after its deadline node B takes the session
            SessionStates.Claim late = states.claim("s1", "acme", "node-b", T0 + 1000, T0 + 3000);
            assertThat(late).isInstanceOf(SessionStates.Claimed.class);
            assertThat(((SessionStates.Claimed) late).row().busyNode()).isEqualTo("node-b");
            states.release("s1", "node-a", T0 + 1100); // not A's any more: changes nothing
            assertThat(states.row("s1").orElseThrow().busyNode()).isEqualTo("node-b");
            states.release("s1", "node-b", T0 + 1200);
            SessionStates.Row r = states.row("s1").orElseThrow();
            assertThat(r.busyNode()).isNull();
            assertThat(r.lastUsedAt()).isEqualTo(T0 + 1200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aSilentNodesHoldIsTakenBeforeItsDeadline(String name) throws Exception {
        try (Store store = open(name)) {
            SessionStates states = store.sessionStates();
            states.create(
                    row("s1", "acme"),
                    snapshot(memory(7), 1, "a"),
                    null,
                    new SessionStates.Memo(),
                    T0);
            store.heartbeat("node-a", T0);
            assertThat(states.claim("s1", "acme", "node-a", T0, T0 + 600_000))
                    .isInstanceOf(SessionStates.Claimed.class);
            store.heartbeat("node-a", T0 + 10_000);
            assertThat(states.claim("s1", "acme", "node-b", T0 + 20_000, T0 + 700_000))
                    .isEqualTo(new SessionStates.Busy("node-a", T0 + 600_000));
            long silent = T0 + 10_000 + Store.SILENT_NODE_MILLIS;
            assertThat(states.claim("s1", "acme", "node-b", silent, silent + 1000))
                    .isInstanceOf(SessionStates.Claimed.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void idleSessionsExpireAndUnusedChunksAreCollected(String name) throws Exception {
        try (Store store = open(name)) {
            SessionStates states = store.sessionStates();
            SessionStates.Memo memo = new SessionStates.Memo();
            states.create(row("old", "acme"), snapshot(memory(3), 1, "a"), null, memo, T0);
            states.snapshots().save("snap-1", "old", T0, snapshot(memory(4), 1, "b"), memo);
            assertThat(states.snapshots().list("old"))
                    .extracting(SessionSnapshots.SnapshotRow::snapshotId)
                    .containsExactly("snap-1");
            states.create(
                    row("busy", "acme"),
                    snapshot(memory(5), 1, "c"),
                    null,
                    new SessionStates.Memo(),
                    T0);
            states.claim("busy", "acme", "node-a", T0, T0 + 100_000);
            long all = chunkRows();
            assertThat(all).isEqualTo(39);

            assertThat(states.expire(T0, T0 + 50_000)).containsExactly("old");
            assertThat(states.row("old")).isEmpty();
            assertThat(states.snapshots().list("old")).isEmpty();
            // chunks touched after the cut-off stay, however unused
            assertThat(states.collectChunks(T0)).isZero();
            assertThat(chunkRows()).isEqualTo(all);
            assertThat(states.collectChunks(T0 + 1)).isEqualTo(26);
            assertThat(chunkRows()).isEqualTo(13);
            assertSame(
                    snapshot(memory(5), 1, "c"),
                    store.sessionStates()
                            .load("busy", new SessionStates.Memo())
                            .orElseThrow()
                            .state());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aDamagedOrMissingChunkIsNamedNotRestored(String name) throws Exception {
        try (Store store = open(name)) {
            SessionStates states = store.sessionStates();
            states.create(
                    row("s1", "acme"),
                    snapshot(memory(6), 1, "a"),
                    null,
                    new SessionStates.Memo(),
                    T0);
            List<String> hashes = new ArrayList<>();
            try (Connection c = backend.raw();
                    Statement s = c.createStatement()) {
                try (ResultSet r = s.executeQuery("SELECT hash FROM state_chunks ORDER BY hash")) {
                    while (r.next()) {
                        hashes.add(r.getString(1).strip());
                    }
                }
                s.executeUpdate(
                        "UPDATE state_chunks SET data = data || data WHERE hash = '"
                                + hashes.get(0)
                                + "'");
            }
            assertThatThrownBy(() -> store.sessionStates().load("s1", new SessionStates.Memo()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("chunk " + hashes.get(0) + " is damaged");
            try (Connection c = backend.raw();
                    Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM state_chunks WHERE hash = '" + hashes.get(1) + "'");
                s.executeUpdate("DELETE FROM state_chunks WHERE hash = '" + hashes.get(0) + "'");
            }
            assertThatThrownBy(() -> store.sessionStates().load("s1", new SessionStates.Memo()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("lost its memory chunk");
            try (Connection c = backend.raw();
                    Statement s = c.createStatement()) {
                s.executeUpdate(
                        "UPDATE session_states SET state = X'00112233'"
                                .replace(
                                        "X'00112233'",
                                        "postgresql".equals(name)
                                                ? "'\\x00112233'::bytea"
                                                : "X'00112233'"));
            }
            assertThatThrownBy(() -> store.sessionStates().load("s1", new SessionStates.Memo()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("not an Airlock session state");
        }
    }
}
