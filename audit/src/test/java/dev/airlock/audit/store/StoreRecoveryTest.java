package dev.airlock.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.AuditVerifier;
import dev.airlock.audit.HashChain;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A writer that dies with records stored after its last checkpoint: {@code verify} tells the crash
 * from tampering, and the next writer seals the tail with a checkpoint that records the unclean
 * stop.
 */
class StoreRecoveryTest extends StoreFixture {

    /** The writer's last stored record and its last checkpoint, once written. */
    long tail;

    long sealed;

    /**
     * Opens a store whose writer records one sealed run, then a second run whose records are stored
     * but not sealed (checkpoints are at least an hour apart and the clock stands still).
     */
    Store writeUnsealedTail(String name) throws Exception {
        backend = Backend.create(name, tmp.resolve("data"));
        keys = AuditKeys.loadOrCreate(tmp.resolve("keys"));
        Store store = backend.open();
        AuditTrail trail =
                new AuditTrail(
                        store.trailSink(),
                        keys,
                        store.chain(),
                        1000,
                        clock,
                        Duration.ofHours(1),
                        Duration.ofHours(1));
        Instant t = Instant.ofEpochMilli(T0);
        String first = TestRuns.synthesize(trail, T0, 2);
        store.recordRun(trail, first, TestRuns.outcome(2), t, t, null, null);
        trail.flush();
        String second = TestRuns.synthesize(trail, T0, 2);
        store.recordRun(trail, second, TestRuns.outcome(2), t, t, null, null);
        // stored, not sealed: the second run's 6 records (the first run took 7 or 8: its
        // checkpoint may come before its run record when the writer takes its outcome alone)
        tail = store.lastSeq();
        sealed = store.verify(keys.publicKey()).sealedUpTo();
        assertThat(tail - sealed).isEqualTo(6);
        return store;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aCrashedWritersTailIsSealedByTheNextWriterAndVerifySaysCrashNotTampering(String name)
            throws Exception {
        Store dead = writeUnsealedTail(name);
        String writer = dead.writerId();
        dead.abandon();

        try (Store next = backend.open()) {
            // before anyone seals it: a crash, not a broken chain
            StoreVerification before = next.verifyAll(keys.publicKey());
            assertThat(before.intact()).isTrue();
            assertThat(before.crashed()).isTrue();
            StoreVerification.Writer w = before.writers().get(0);
            assertThat(w.id()).isEqualTo(writer);
            assertThat(w.live()).isFalse();
            assertThat(w.broken()).isFalse();
            assertThat(w.result().unsealed()).isTrue();
            assertThat(w.result().sealedUpTo()).isEqualTo(sealed);

            List<Store.Recovery> recovered = next.recoverCrashed(keys, clock);
            assertThat(recovered).containsExactly(new Store.Recovery(writer, tail + 1));
            // once only
            assertThat(next.recoverCrashed(keys, clock)).isEmpty();

            StoreVerification after = next.verifyAll(keys.publicKey());
            assertThat(after.intact()).isTrue();
            assertThat(after.crashed()).isTrue();
            assertThat(after.writers().get(0).result().ok()).isTrue();
            assertThat(after.writers().get(0).result().recoveredAt()).isEqualTo(tail + 1);
            assertThat(after.runsChecked()).isEqualTo(2);
            AuditVerifier.Result summary = next.verify(keys.publicKey());
            assertThat(summary.ok()).isTrue();
            assertThat(summary.recoveredAt()).isEqualTo(tail + 1);
            assertThat(next.auditLines().get((int) tail))
                    .contains("\"writer\":\"" + writer + "\"", "\"stop\":\"unclean\"");
        }

        // tampering stays tampering: a record of the sealed tail edited
        exec(
                "UPDATE audit_events SET line = REPLACE(line, 'code 3', 'code 0')"
                        + " WHERE seq = "
                        + tail);
        try (Store store = backend.open()) {
            StoreVerification v = store.verifyAll(keys.publicKey());
            assertThat(v.intact()).isFalse();
            assertThat(v.writers().get(0).broken()).isTrue();
            assertThat(v.writers().get(0).result().reason()).contains("edited");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aLiveWritersUnsealedTailIsLeftAlone(String name) throws Exception {
        try (Store live = writeUnsealedTail(name);
                Store other = backend.open()) {
            assertThat(other.recoverCrashed(keys, clock)).isEmpty();
            StoreVerification v = other.verifyAll(keys.publicKey());
            assertThat(v.intact()).isTrue();
            assertThat(v.crashed()).isFalse();
            assertThat(v.writers())
                    .singleElement()
                    .satisfies(w -> assertThat(w.writing()).isTrue());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aSealingCheckpointCannotBeFollowedOrUnmarked(String name) throws Exception {
        Store dead = writeUnsealedTail(name);
        String writer = dead.writerId();
        dead.abandon();
        String sealing;
        try (Store next = backend.open()) {
            next.recoverCrashed(keys, clock);
            sealing = next.auditLines().get((int) tail);
        }
        String hash = TrailRows.lineHash(sealing);

        // a record added after it, chained correctly
        String added =
                new HashChain(writer, hash, tail + 1)
                        .seal(
                                "{\"seq\":"
                                        + (tail + 2)
                                        + ",\"writer\":\""
                                        + writer
                                        + "\",\"type\":\"lifecycle\",\"time\":1");
        exec(
                "INSERT INTO audit_events (chain, seq, run_id, type, event_time, denied, hash,"
                        + " line, session_id) VALUES ('"
                        + writer
                        + "', "
                        + (tail + 2)
                        + ", NULL, 'lifecycle', 1, FALSE, '"
                        + TrailRows.lineHash(added)
                        + "', '"
                        + added.replace("'", "''")
                        + "', NULL)");
        try (Store store = backend.open()) {
            StoreVerification.Writer w = store.verifyAll(keys.publicKey()).writers().get(0);
            assertThat(w.broken()).isTrue();
            assertThat(w.result().reason())
                    .contains("follows the checkpoint that closed the chain");
        }
        exec("DELETE FROM audit_events WHERE seq = " + (tail + 2));

        // the unclean mark dropped, with the hashes made to match: the signature still covers it
        String prefix = sealing.substring(0, sealing.lastIndexOf(",\"hash\":"));
        String unmarked = prefix.replace(",\"stop\":\"unclean\"", "");
        String rehashed = unmarked + ",\"hash\":\"" + HashChain.sha256(unmarked) + "\"}";
        exec(
                "UPDATE audit_events SET line = '"
                        + rehashed.replace("'", "''")
                        + "', hash = '"
                        + HashChain.sha256(unmarked)
                        + "' WHERE seq = "
                        + (tail + 1));
        exec("UPDATE audit_chains SET head_hash = '" + HashChain.sha256(unmarked) + "'");
        try (Store store = backend.open()) {
            StoreVerification v = store.verifyAll(keys.publicKey());
            assertThat(v.intact()).isFalse();
            assertThat(v.crashed()).isFalse();
            assertThat(v.writers().get(0).result().reason())
                    .isEqualTo("checkpoint signature does not verify");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aVersionThreeTrailStillVerifiesAndItsUnsealedTailIsSealed(String name) throws Exception {
        backend = Backend.create(name, tmp.resolve("data"));
        keys = AuditKeys.loadOrCreate(tmp.resolve("keys"));
        Instant t = Instant.ofEpochMilli(T0);
        // what version 3 wrote: one chain of format 2 records, then a crash before its checkpoint
        AuditTrail trail;
        try (Store v3 = Store.open(backend.db(), Migrations.bundled().subList(0, 3))) {
            trail =
                    new AuditTrail(
                            new LegacySink(backend),
                            keys,
                            HashChain.start(),
                            1000,
                            clock,
                            Duration.ofHours(1),
                            Duration.ofHours(1));
            String id = TestRuns.synthesize(trail, T0, 2);
            trail.flush();
            v3.recordRun(id, TestRuns.outcome(2), t, t, null, null);
            TestRuns.synthesize(trail, T0, 2);
            trail.sync();
        }
        try (Store store = backend.open()) {
            assertThat(store.auditLines())
                    .hasSize(2 + 2 + 1 + 1 + 5)
                    .noneMatch(l -> l.contains("\"writer\""));
            StoreVerification v = store.verifyAll(keys.publicKey());
            assertThat(v.writers())
                    .singleElement()
                    .satisfies(
                            w -> {
                                assertThat(w.id()).isEqualTo("legacy");
                                assertThat(w.crashed()).isTrue();
                                assertThat(w.broken()).isFalse();
                            });
            assertThat(v.intact()).isTrue();
            assertThat(v.runsUnchecked()).isEqualTo(1);

            assertThat(store.recoverCrashed(keys, clock))
                    .containsExactly(new Store.Recovery("legacy", 12));
            StoreVerification after = store.verifyAll(keys.publicKey());
            assertThat(after.intact()).isTrue();
            assertThat(after.writers().get(0).result().ok()).isTrue();
            assertThat(after.writers().get(0).result().recoveredAt()).isEqualTo(12);
            assertThat(store.auditLines().get(11))
                    .contains("\"stop\":\"unclean\"")
                    .doesNotContain("\"writer\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aSealedVersionThreeTrailVerifiesAsItWas(String name) throws Exception {
        backend = Backend.create(name, tmp.resolve("data"));
        keys = AuditKeys.loadOrCreate(tmp.resolve("keys"));
        try (Store v3 = Store.open(backend.db(), Migrations.bundled().subList(0, 3));
                AuditTrail trail =
                        new AuditTrail(new LegacySink(backend), keys, HashChain.start(), 1000)) {
            TestRuns.synthesize(trail, T0, 2);
            TestRuns.synthesize(trail, T0, 2);
        }
        try (Store store = backend.open()) {
            StoreVerification v = store.verifyAll(keys.publicKey());
            assertThat(v.intact()).isTrue();
            assertThat(v.crashed()).isFalse();
            assertThat(store.recoverCrashed(keys, clock)).isEmpty();
            assertThat(store.verify(keys.publicKey()).ok()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void runsOfAVersionThreeTrailWhoseRecordsWerePrunedAreNotFaults(String name) throws Exception {
        backend = Backend.create(name, tmp.resolve("data"));
        keys = AuditKeys.loadOrCreate(tmp.resolve("keys"));
        // version 3's CLI recorded the run after sealing its trail: the row ends a little after
        // the checkpoint that sealed its records
        try (Store v3 = Store.open(backend.db(), Migrations.bundled().subList(0, 3));
                AuditTrail trail =
                        new AuditTrail(
                                new LegacySink(backend),
                                keys,
                                HashChain.start(),
                                1000,
                                clock,
                                Duration.ZERO,
                                Duration.ofHours(1))) {
            for (int i = 0; i < 3; i++) {
                String id = TestRuns.synthesize(trail, clock.millis, 2);
                trail.flush();
                Instant start = Instant.ofEpochMilli(clock.millis);
                v3.recordRun(id, TestRuns.outcome(2), start, start.plusMillis(5), null, null);
                clock.millis += 60_000;
            }
        }
        try (Store store = backend.open()) {
            long spanBytes = 0;
            for (String l : store.auditLines().subList(6, 18)) {
                spanBytes += l.length();
            }
            PruneResult p = store.pruneToSize(spanBytes);
            assertThat(p.auditRecords()).isEqualTo(6);
            // the first run's row outlived its records by the 5 ms it was recorded after them
            assertThat(store.runs(10)).hasSize(3);
            StoreVerification v = store.verifyAll(keys.publicKey());
            assertThat(v.runFaults()).isEmpty();
            assertThat(v.intact()).isTrue();
            assertThat(v.runsUnchecked()).isEqualTo(3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aForgedWriterIdNeverNamesAFile(String name) throws Exception {
        backend = Backend.create(name, tmp.resolve("data"));
        keys = AuditKeys.loadOrCreate(tmp.resolve("keys"));
        java.nio.file.Path victim = tmp.resolve("victim.lock");
        java.nio.file.Files.writeString(victim, "keep");
        try (Store store = backend.open()) {
            store.chain();
        }
        exec(
                "INSERT INTO audit_chains (chain, state, created_at, anchor_seq, anchor_hash,"
                        + " anchor_line, head_seq, head_hash) VALUES ('../../victim', 'open', 1,"
                        + " 0, '"
                        + HashChain.GENESIS
                        + "', NULL, 0, '"
                        + HashChain.GENESIS
                        + "')");
        try (Store store = backend.open()) {
            assertThat(store.recoverCrashed(keys, clock)).isEmpty();
            StoreVerification v = store.verifyAll(keys.publicKey());
            assertThat(v.writers())
                    .filteredOn(w -> w.id().contains("victim"))
                    .singleElement()
                    .satisfies(w -> assertThat(w.live()).isFalse());
        }
        assertThat(victim).hasContent("keep");
    }

    void exec(String sql) throws Exception {
        try (Connection c = backend.raw();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
