package dev.airlock.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.audit.AuditTrail;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several writers on one store (as several processes, or servers on one PostgreSQL, would be): each
 * writes its own chain and every chain verifies; a run whose records cannot be stored is not
 * recorded.
 */
class StoreWritersTest extends StoreFixture {

    /** A trail on the store's writer chain whose writer wakes only when asked. */
    AuditTrail trail(Store store) throws StoreException {
        return new AuditTrail(
                store.trailSink(),
                keys,
                store.chain(),
                1000,
                clock,
                Duration.ofMillis(100),
                Duration.ofHours(1));
    }

    /** A synthetic run recorded through the trail; returns its id. */
    String run(Store store, AuditTrail trail) throws Exception {
        String id = TestRuns.synthesize(trail, clock.millis, 3);
        Instant t = Instant.ofEpochMilli(clock.millis);
        store.recordRun(trail, id, TestRuns.outcome(3), t, t, null, null);
        clock.millis += 1000;
        return id;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void twoWritersInterleaveAndEveryChainVerifies(String name) throws Exception {
        try (Store a = open(name);
                Store b = backend.open();
                AuditTrail ta = trail(a);
                AuditTrail tb = trail(b)) {
            for (int i = 0; i < 3; i++) {
                run(a, ta);
                run(b, tb);
            }
            ta.flush();
            tb.flush();
            assertThat(a.writerId()).isNotEqualTo(b.writerId());

            StoreVerification v = a.verifyAll(keys.publicKey());
            assertThat(v.writers())
                    .extracting(StoreVerification.Writer::id)
                    .containsExactlyInAnyOrder(a.writerId(), b.writerId());
            assertThat(v.writers()).allMatch(w -> w.result().ok() && w.live());
            assertThat(v.intact()).isTrue();
            assertThat(v.crashed()).isFalse();
            assertThat(v.runsChecked()).isEqualTo(6);
            assertThat(v.runFaults()).isEmpty();
            assertThat(a.runs(10)).hasSize(6);
            // every record names its writer
            assertThat(a.auditLines())
                    .allMatch(
                            l ->
                                    l.contains("\"writer\":\"" + a.writerId() + "\"")
                                            || l.contains("\"writer\":\"" + b.writerId() + "\""));
        }
        try (Store s = backend.open()) {
            StoreVerification v = s.verifyAll(keys.publicKey());
            // both closed cleanly: not live, not crashed
            assertThat(v.writers()).hasSize(2).noneMatch(w -> w.live() || w.crashed());
            assertThat(v.intact()).isTrue();
            assertThat(s.verify(keys.publicKey()).ok()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aRunWhoseRecordsCannotBeStoredIsNotRecorded(String name) throws Exception {
        Store store = open(name);
        AuditTrail trail = trail(store);
        run(store, trail);
        String id = TestRuns.synthesize(trail, clock.millis, 3);
        store.close();
        Instant t = Instant.ofEpochMilli(clock.millis);

        assertThatThrownBy(() -> store.recordRun(trail, id, TestRuns.outcome(3), t, t, null, null))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");

        try (Store again = backend.open()) {
            assertThat(again.run(id)).isEmpty();
            assertThat(again.runs(10)).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aRunRecordedThroughAClosedTrailIsNotRecorded(String name) throws Exception {
        try (Store store = open(name)) {
            AuditTrail trail = trail(store);
            String id = TestRuns.synthesize(trail, clock.millis, 1);
            trail.close();
            Instant t = Instant.ofEpochMilli(clock.millis);
            assertThatThrownBy(
                            () -> store.recordRun(trail, id, TestRuns.outcome(1), t, t, null, null))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("run " + id + " not recorded: audit trail closed");
            assertThat(store.run(id)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aTrailOnAnotherWritersChainIsRefused(String name) throws Exception {
        try (Store a = open(name);
                Store b = backend.open()) {
            AuditTrail wrong = new AuditTrail(b.trailSink(), keys, a.chain(), 1000);
            TestRuns.synthesize(wrong, 1, 1);
            assertThatThrownBy(wrong::close)
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("belong to writer " + a.writerId());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void editedRunOutcomesAreDetected(String name) throws Exception {
        String id;
        try (Store store = open(name);
                AuditTrail trail = trail(store)) {
            id = run(store, trail);
            run(store, trail);
        }
        String[][] edits = {
            {"status = 'ok'", "status"},
            {"exit_code = 0", "exit code"},
            {"message = 'all fine'", "message"},
            {"kind = 'oom'", "kind"},
        };
        for (String[] edit : edits) {
            exec("UPDATE runs SET " + edit[0] + " WHERE run_id = '" + id + "'");
            try (Store store = backend.open()) {
                StoreVerification v = store.verifyAll(keys.publicKey());
                assertThat(v.intact()).as(edit[0]).isFalse();
                assertThat(v.runFaults())
                        .singleElement()
                        .asString()
                        .contains("run " + id, "stored " + edit[1], "edited");
                assertThat(store.verify(keys.publicKey()).ok()).isFalse();
                // a reader of the row can ask whether it holds
                assertThat(store.outcomeFault(id)).contains(edit[1]);
            }
            exec(
                    "UPDATE runs SET status = 'exit', exit_code = 3, kind = NULL,"
                            + " message = 'exited with code 3' WHERE run_id = '"
                            + id
                            + "'");
            try (Store store = backend.open()) {
                assertThat(store.verifyAll(keys.publicKey()).intact()).isTrue();
                assertThat(store.outcomeFault(id)).isEmpty();
            }
        }
        exec(
                "INSERT INTO runs SELECT 'forged', started_at, ended_at, module_sha256, status,"
                        + " kind, exit_code, message, wall_millis, memory_peak_bytes,"
                        + " stdout_bytes, stderr_bytes, host_calls, denials, tenant_id, session_id,"
                        + " request_id, trace_id, node_id"
                        + " FROM runs WHERE run_id = '"
                        + id
                        + "'");
        try (Store store = backend.open()) {
            StoreVerification v = store.verifyAll(keys.publicKey());
            assertThat(v.intact()).isFalse();
            assertThat(v.runFaults())
                    .singleElement()
                    .asString()
                    .contains("run forged", "no outcome");
        }
    }

    void exec(String sql) throws Exception {
        try (Connection c = backend.raw();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
