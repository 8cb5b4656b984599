package dev.airlock.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.AuditVerifier;
import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.LifecycleEvent;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The store's repository methods and tamper evidence, on SQLite and (when set up) PostgreSQL. */
class StoreTest extends StoreFixture {
    /** Writes {@code runs} synthetic runs of 5 calls each through a trail; returns their ids. */
    List<String> writeRuns(Store store, int runs) throws IOException {
        try (AuditTrail trail =
                new AuditTrail(
                        store.trailSink(),
                        keys,
                        store.chain(),
                        1000,
                        Clock.systemUTC(),
                        Duration.ZERO)) {
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < runs; i++) {
                ids.add(TestRuns.synthesize(trail, 1_000_000 + i, 5));
            }
            return ids;
        }
    }

    void exec(String sql) throws Exception {
        try (Connection c = backend.raw();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void newStoreIsEmptyAndVerifies(String name) throws Exception {
        try (Store store = open(name)) {
            assertThat(store.schemaVersion()).isEqualTo(Store.latestSchemaVersion()).isEqualTo(8);
            assertThat(store.chain().seq()).isZero();
            assertThat(store.lastSeq()).isZero();
            assertThat(store.runs(10)).isEmpty();
            assertThat(store.auditLines()).isEmpty();
            AuditVerifier.Result r = store.verify(keys.publicKey());
            assertThat(r.ok()).isTrue();
        }
        try (Store again = open(name)) {
            assertThat(again.schemaVersion()).isEqualTo(8);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void auditRecordsKeepTheirSession(String name) throws Exception {
        try (Store store = open(name)) {
            try (AuditTrail trail = new AuditTrail(store.trailSink(), keys, store.chain(), 1000)) {
                for (String session : new String[] {"session-a", null, "session-a", "session-b"}) {
                    trail.accept(
                            new LifecycleEvent(
                                    1,
                                    1_000L,
                                    "run-" + session,
                                    session,
                                    TestRuns.MODULE,
                                    LifecycleEvent.Type.OUTCOME,
                                    Map.of("status", "ok")));
                }
            }
            List<String> a = store.sessionAuditLines("session-a");
            assertThat(a).hasSize(2).allMatch(l -> l.contains("\"session\":\"session-a\""));
            assertThat(store.sessionAuditLines("session-b")).hasSize(1);
            assertThat(store.sessionAuditLines("none")).isEmpty();
            assertThat(store.auditLines("run-null"))
                    .hasSize(1)
                    .noneMatch(l -> l.contains("session"));
            assertThat(store.verify(keys.publicKey()).ok()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void realRunsAreStoredAndVerify(String name) throws Exception {
        Airlock airlock = Airlock.create();
        GuestModule module = airlock.load(Wat2Wasm.parse(TestRuns.GUEST));
        try (Store store = open(name)) {
            String runId;
            Outcome o;
            Instant started = Instant.parse("2024-05-01T10:00:00.123456Z");
            try (AuditTrail trail =
                    new AuditTrail(
                            store.trailSink(),
                            keys,
                            store.chain(),
                            1000,
                            Clock.systemUTC(),
                            Duration.ZERO)) {
                TestRuns.RunIds ids = new TestRuns.RunIds(trail);
                o = airlock.run(module, Policy.defaults(), Stdio.discard(), ids);
                runId = ids.last;
                assertThat(o.status()).isEqualTo(Status.OK);
                Instant ended = started.plusSeconds(1);
                RunOrigin origin = new RunOrigin("req-1", "4bf92f3577b34da6a3ce929d0e0e4736");
                store.recordRun(trail, runId, o, started, ended, "tenant-1", "session-1", origin);
            }

            RunRecord r = store.run(runId).orElseThrow();
            assertThat(r.outcome()).isEqualTo(o);
            assertThat(r.startedAt()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123Z"));
            assertThat(r.endedAt()).isEqualTo(Instant.parse("2024-05-01T10:00:01.123Z"));
            assertThat(r.tenantId()).isEqualTo("tenant-1");
            assertThat(r.sessionId()).isEqualTo("session-1");
            assertThat(r.origin())
                    .isEqualTo(new RunOrigin("req-1", "4bf92f3577b34da6a3ce929d0e0e4736"));
            assertThat(r.denials()).extracting(d -> d.rule()).containsExactly("net.sockets");
            assertThat(store.runs(10)).containsExactly(r);
            assertThat(store.runs("session-1", 10)).containsExactly(r);
            assertThat(store.runs("other", 10)).isEmpty();
            assertThat(store.run("missing")).isEmpty();

            // accepted + started + 21 calls + outcome + the run record, and checkpoints
            assertThat(store.auditLines(runId)).hasSize(25);
            assertThat(store.auditLines(runId).get(24))
                    .contains("\"type\":\"run\"", "\"status\":\"ok\"", "\"exitCode\":0");
            List<String> all = store.auditLines();
            assertThat(all.stream().filter(l -> !l.contains("\"type\":\"checkpoint\"")))
                    .hasSize(25);
            assertThat(all.get(all.size() - 1)).contains("\"type\":\"checkpoint\"");
            assertThat(store.deniedLines())
                    .singleElement()
                    .satisfies(l -> assertThat(l).contains("net.sockets", runId));
            assertThat(store.auditLines(20, 3))
                    .hasSize(3)
                    .first()
                    .asString()
                    .contains("\"seq\":21");
            assertThat(store.verify(keys.publicKey()).ok()).isTrue();
            assertThatThrownBy(() -> store.recordRun(runId, o, started))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("already recorded");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void eachOpeningWritesItsOwnChainAndAllVerify(String name) throws Exception {
        String first;
        try (Store store = open(name)) {
            writeRuns(store, 3);
            first = store.writerId();
            assertThat(store.lastSeq()).isEqualTo(3 * (2 + 5 + 1 + 1));
        }
        String second;
        try (Store store = open(name)) {
            assertThat(store.lastSeq()).isZero();
            writeRuns(store, 2);
            second = store.writerId();
            assertThat(store.lastSeq()).isEqualTo(2 * 9);
        }
        assertThat(second).isNotEqualTo(first);
        try (Store store = open(name)) {
            List<String> lines = store.auditLines();
            assertThat(lines).hasSize(5 * 9);
            for (int i = 0; i < lines.size(); i++) {
                int seq = i < 27 ? i + 1 : i - 27 + 1;
                String writer = i < 27 ? first : second;
                assertThat(lines.get(i))
                        .startsWith("{\"seq\":" + seq + ",\"writer\":\"" + writer + "\",");
            }
            StoreVerification v = store.verifyAll(keys.publicKey());
            assertThat(v.writers())
                    .extracting(StoreVerification.Writer::id)
                    .containsExactly(first, second);
            assertThat(v.intact()).isTrue();
            assertThat(v.crashed()).isFalse();
            assertThat(v.records()).isEqualTo(45);
            assertThat(store.verify(keys.publicKey()).ok()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void editedRowIsDetected(String name) throws Exception {
        try (Store store = open(name)) {
            writeRuns(store, 2);
        }
        try (Connection c = backend.raw();
                PreparedStatement p =
                        c.prepareStatement("UPDATE audit_events SET line = ? WHERE seq = 5")) {
            String line;
            try (Store store = open(name)) {
                line = store.auditLines(4, 1).get(0);
            }
            p.setString(1, line.replace("\"decision\":\"allow\"", "\"decision\":\"deny\""));
            assertThat(p.executeUpdate()).isEqualTo(1);
        }
        try (Store store = open(name)) {
            AuditVerifier.Result r = store.verify(keys.publicKey());
            assertThat(r.ok()).isFalse();
            assertThat(r.brokenSeq()).isEqualTo(5);
            assertThat(r.reason()).contains("edited");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void deletedRowsAreDetected(String name) throws Exception {
        try (Store store = open(name)) {
            writeRuns(store, 3);
        }
        exec("DELETE FROM audit_events WHERE seq = 12");
        try (Store store = open(name)) {
            AuditVerifier.Result r = store.verify(keys.publicKey());
            assertThat(r.ok()).isFalse();
            assertThat(r.brokenSeq()).isEqualTo(12);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void trailCutBackToAnEarlierCheckpointIsDetected(String name) throws Exception {
        try (Store store = open(name)) {
            writeRuns(store, 3);
            assertThat(store.verify(keys.publicKey()).ok()).isTrue();
        }
        // the whole last run and its checkpoint: what is left verifies on its own
        exec("DELETE FROM audit_events WHERE seq > 18");
        try (Store store = open(name)) {
            AuditVerifier.Result r = store.verify(keys.publicKey());
            assertThat(r.ok()).isFalse();
            assertThat(r.reason()).contains("cut back", "27");
            assertThat(r.sealedUpTo()).isEqualTo(18);
        }
        exec("DELETE FROM audit_events");
        try (Store store = open(name)) {
            assertThat(store.verify(keys.publicKey()).ok()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void alteredHashColumnIsDetected(String name) throws Exception {
        try (Store store = open(name)) {
            writeRuns(store, 1);
        }
        exec("UPDATE audit_events SET hash = '" + "1".repeat(64) + "' WHERE seq = 3");
        try (Store store = open(name)) {
            AuditVerifier.Result r = store.verify(keys.publicKey());
            assertThat(r.ok()).isFalse();
            assertThat(r.brokenSeq()).isEqualTo(3);
            assertThat(r.reason()).contains("hash column");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void secondWriterIsRefused(String name) throws Exception {
        try (Store store = open(name)) {
            AuditTrail first = new AuditTrail(store.trailSink(), keys, store.chain(), 1000);
            AuditTrail second = new AuditTrail(store.trailSink(), keys, store.chain(), 1000);
            TestRuns.synthesize(first, 1, 2);
            first.flush();
            TestRuns.synthesize(second, 2, 2);
            assertThatThrownBy(second::close)
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("cannot append audit records 1..")
                    .hasMessageContaining("two trails on one writer");
            first.close();
            AuditVerifier.Result r = store.verify(keys.publicKey());
            assertThat(r.ok()).as(r.reason()).isTrue();
            assertThat(r.records()).isEqualTo(2 + 2 + 1 + 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void closedStoreRefusesWork(String name) throws Exception {
        Store store = open(name);
        store.close();
        store.close();
        assertThatThrownBy(() -> store.runs(1))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("closed")
                .hasMessageContaining(store.location());
        assertThatThrownBy(() -> store.runs(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void runsAreListedNewestFirst(String name) throws Exception {
        try (Store store = open(name)) {
            for (int i = 0; i < 5; i++) {
                Instant t = Instant.ofEpochSecond(1_700_000_000L + i);
                store.recordRun("run-" + i, TestRuns.outcome(4), t, t.plusMillis(12), null, null);
            }
            assertThat(store.runs(3).stream().map(RunRecord::runId).collect(Collectors.toList()))
                    .containsExactly("run-4", "run-3", "run-2");
            RunRecord r = store.run("run-1").orElseThrow();
            assertThat(r.outcome()).isEqualTo(TestRuns.outcome(4));
            assertThat(r.tenantId()).isNull();
        }
    }
}
