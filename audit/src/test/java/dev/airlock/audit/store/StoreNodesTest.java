package dev.airlock.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.AuditTrail;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Server nodes on one store, each with its own audit key: every node's chain verifies from the
 * store alone, runs name their node, and tenants' quotas taken through one node hold on another.
 */
class StoreNodesTest extends StoreFixture {

    AuditTrail trail(Store store, AuditKeys k) throws StoreException {
        return new AuditTrail(
                store.trailSink(),
                k,
                store.chain(),
                1000,
                clock,
                Duration.ofMillis(100),
                Duration.ofHours(1));
    }

    String run(Store store, AuditTrail trail) throws Exception {
        String id = TestRuns.synthesize(trail, clock.millis, 3);
        Instant t = Instant.ofEpochMilli(clock.millis);
        store.recordRun(trail, id, TestRuns.outcome(3), t, t, null, null);
        clock.millis += 1000;
        return id;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void everyNodesChainVerifiesWithTheKeysInTheStore(String name) throws Exception {
        AuditKeys keysB = AuditKeys.loadOrCreate(tmp.resolve("keys-b"));
        String runA;
        String runB;
        try (Store a = open(name);
                Store b = backend.open()) {
            a.registerNode("node-a", keys);
            b.registerNode("node-b", keysB);
            a.registerNode("node-a", keys); // again: changes nothing
            try (AuditTrail ta = trail(a, keys);
                    AuditTrail tb = trail(b, keysB)) {
                runA = run(a, ta);
                runB = run(b, tb);
            }
            assertThatThrownBy(() -> a.registerNode("node-c", keys))
                    .isInstanceOf(IllegalStateException.class);
        }
        try (Store s = backend.open()) {
            StoreVerification v = s.verifyAll();
            assertThat(v.writers()).hasSize(2).allMatch(w -> w.result().ok());
            assertThat(v.intact()).isTrue();
            assertThat(v.runsChecked()).isEqualTo(2);
            assertThat(s.runNode(runA)).contains("node-a");
            assertThat(s.runNode(runB)).contains("node-b");
            // one node's key alone cannot check the other's checkpoints
            StoreVerification onlyA = s.verifyAll(keys.publicKey());
            assertThat(onlyA.intact()).isFalse();
        }
        // a key registered by no node: its chain does not verify from the store
        try (java.sql.Connection c = backend.raw();
                java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM audit_signers WHERE key_id = '" + keysB.keyId() + "'");
        }
        try (Store s = backend.open()) {
            StoreVerification v = s.verifyAll();
            assertThat(v.intact()).isFalse();
            assertThat(v.summary().reason()).contains("not registered");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aCrashedNodesChainSealedByAnotherNodeVerifiesFromTheStore(String name) throws Exception {
        AuditKeys keysB = AuditKeys.loadOrCreate(tmp.resolve("keys-b"));
        Store dead = open(name);
        dead.registerNode("node-a", keys);
        AuditTrail trail =
                new AuditTrail(
                        dead.trailSink(),
                        keys,
                        dead.chain(),
                        1000,
                        clock,
                        Duration.ofHours(1),
                        Duration.ofHours(1));
        Instant t = Instant.ofEpochMilli(clock.millis);
        String first = TestRuns.synthesize(trail, clock.millis, 2);
        dead.recordRun(trail, first, TestRuns.outcome(2), t, t, null, null);
        trail.flush();
        String second = TestRuns.synthesize(trail, clock.millis, 2);
        dead.recordRun(trail, second, TestRuns.outcome(2), t, t, null, null);
        dead.abandon(); // node A dies with its last run stored but not sealed
        try (Store b = backend.open()) {
            b.registerNode("node-b", keysB);
            assertThat(b.recoverCrashed(keysB)).hasSize(1);
            StoreVerification v = b.verifyAll();
            assertThat(v.intact()).isTrue();
            assertThat(v.crashed()).isTrue();
            assertThat(v.writers()).singleElement().satisfies(w -> w.result().ok());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void quotasHoldAcrossNodes(String name) throws Exception {
        long lease = 120_000;
        try (Store a = open(name);
                Store b = backend.open()) {
            long now = T0;
            RunSlots.Decision first = a.runSlots().acquire("acme", 1, 3, lease, "node-a", now);
            assertThat(first).isInstanceOf(RunSlots.Granted.class);
            assertThat(b.runSlots().acquire("acme", 1, 3, lease, "node-b", now + 10))
                    .isEqualTo(new RunSlots.TooManyRunning(1));
            // another tenant is not affected
            assertThat(b.runSlots().acquire("other", 1, 3, lease, "node-b", now + 10))
                    .isInstanceOf(RunSlots.Granted.class);
            a.runSlots().release(((RunSlots.Granted) first).slotId());
            assertThat(b.runSlots().acquire("acme", 2, 3, lease, "node-b", now + 20))
                    .isInstanceOf(RunSlots.Granted.class);
            assertThat(a.runSlots().acquire("acme", 5, 3, lease, "node-a", now + 30))
                    .isInstanceOf(RunSlots.Granted.class);
            // three started in this minute: the fourth waits until the first is a minute old
            assertThat(b.runSlots().acquire("acme", 5, 3, lease, "node-b", now + 40))
                    .isEqualTo(new RunSlots.TooManyPerMinute(3, 60_000 - 40));
            // a node that died holding places: they count until their lease ends
            assertThat(b.runSlots().acquire("acme", 2, 10, lease, "node-b", now + 60_001))
                    .isEqualTo(new RunSlots.TooManyRunning(2));
            assertThat(b.runSlots().acquire("acme", 2, 10, lease, "node-b", now + lease + 31))
                    .isInstanceOf(RunSlots.Granted.class);
            assertThatThrownBy(() -> a.runSlots().acquire("acme", 0, 1, lease, "n", now))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aSilentNodesPlacesStopCountingBeforeTheirLease(String name) throws Exception {
        long lease = 120_000;
        try (Store a = open(name);
                Store b = backend.open()) {
            a.heartbeat("node-a", T0);
            b.heartbeat("node-b", T0);
            assertThat(a.runSlots().acquire("acme", 1, 100, lease, "node-a", T0))
                    .isInstanceOf(RunSlots.Granted.class);
            // node A still beats: its place counts
            a.heartbeat("node-a", T0 + 10_000);
            assertThat(b.runSlots().acquire("acme", 1, 100, lease, "node-b", T0 + 20_000))
                    .isEqualTo(new RunSlots.TooManyRunning(1));
            // A fell silent at T0 + 10 s: 15 s later its place no longer counts
            assertThat(
                            b.runSlots()
                                    .acquire(
                                            "acme",
                                            1,
                                            100,
                                            lease,
                                            "node-b",
                                            T0 + 10_000 + Store.SILENT_NODE_MILLIS))
                    .isInstanceOf(RunSlots.Granted.class);
        }
    }
}
