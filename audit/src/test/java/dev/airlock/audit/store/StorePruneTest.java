package dev.airlock.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.AuditVerifier;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Retention: pruning deletes whole checkpoint spans and what is left still verifies. */
class StorePruneTest extends StoreFixture {
    static final long HOUR = 3_600_000L;

    /** Records of one synthetic run with 5 calls, with its run record and its checkpoint. */
    static final int RUN = 2 + 5 + 1 + 1 + 1;

    /**
     * One run per hour from the clock's time on, each recorded as ending at its hour. Returns the
     * chain position after each run, where its checkpoint span ends. A run is usually {@link #RUN}
     * records, but one more when the writer takes its outcome event before its run record (a
     * wake-up left over from the last flush): both are then sealed by checkpoints of their own. The
     * second run is always written so.
     */
    long[] writeHourlyRuns(Store store, int runs) throws Exception {
        long[] ends = new long[runs];
        try (AuditTrail trail =
                new AuditTrail(
                        store.trailSink(),
                        keys,
                        store.chain(),
                        1000,
                        clock,
                        java.time.Duration.ofMillis(100),
                        java.time.Duration.ofHours(1))) {
            long prev = trail.lastSeq();
            for (int i = 0; i < runs; i++) {
                String id = TestRuns.synthesize(trail, clock.millis, 5);
                if (i == 1) {
                    // the second run's outcome is taken alone, as a stray wake-up may make it
                    trail.sync();
                }
                Instant t = Instant.ofEpochMilli(clock.millis);
                store.recordRun(trail, id, TestRuns.outcome(5), t, t, null, null);
                trail.flush();
                ends[i] = trail.lastSeq();
                assertThat(ends[i] - prev)
                        .as("records of run %d", i)
                        .isBetween(i == 1 ? RUN + 1L : RUN, RUN + 1L);
                prev = ends[i];
                clock.millis += HOUR;
            }
        }
        return ends;
    }

    AuditVerifier.Result verify(Store store) throws Exception {
        AuditVerifier.Result r = store.verify(keys.publicKey());
        assertThat(r.ok()).as(String.valueOf(r.reason())).isTrue();
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void pruneDeletesOldSpansAndTheRestVerifies(String name) throws Exception {
        int left;
        try (Store store = open(name)) {
            long[] ends = writeHourlyRuns(store, 3);
            // the cutoff falls after the second run's checkpoint
            PruneResult p = store.prune(Instant.ofEpochMilli(T0 + HOUR + 1));
            assertThat(p).isEqualTo(new PruneResult(ends[1], 2, ends[1]));
            assertThat(store.runs(10)).hasSize(1);
            List<String> lines = store.auditLines();
            assertThat(lines).hasSize((int) (ends[2] - ends[1]));
            assertThat(lines.get(0)).startsWith("{\"seq\":" + (ends[1] + 1) + ",");
            AuditVerifier.Result r = verify(store);
            assertThat(r.sealedUpTo()).isEqualTo(ends[2]);
            // pruning again at the same cutoff changes nothing
            assertThat(store.prune(Instant.ofEpochMilli(T0 + HOUR + 1)))
                    .isEqualTo(new PruneResult(0, 0, ends[1]));
            left = lines.size();
        }
        try (Store store = open(name)) {
            // a new writer: its own chain, from the start
            assertThat(store.chain().seq()).isZero();
            long[] ends = writeHourlyRuns(store, 1);
            verify(store);
            assertThat(store.auditLines()).hasSize(left + (int) ends[0]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void pruneToSizeKeepsTheNewestSpansWithinTheBudget(String name) throws Exception {
        try (Store store = open(name)) {
            long[] ends = writeHourlyRuns(store, 4);
            List<String> lines = store.auditLines();
            long lastTwoRuns = 0;
            for (String l : lines.subList((int) ends[1], (int) ends[3])) {
                lastTwoRuns += l.length();
            }
            // room for the last two runs and a bit, not for three
            PruneResult p = store.pruneToSize(lastTwoRuns + 10);
            assertThat(p).isEqualTo(new PruneResult(ends[1], 2, ends[1]));
            assertThat(store.auditLines()).hasSize((int) (ends[3] - ends[1]));
            assertThat(store.runs(10)).hasSize(2);
            assertThat(verify(store).sealedUpTo()).isEqualTo(ends[3]);
            // within the budget already: nothing changes
            assertThat(store.pruneToSize(lastTwoRuns + 10))
                    .isEqualTo(new PruneResult(0, 0, ends[1]));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void pruningEverythingKeepsTheAnchorAndTheChainGoesOn(String name) throws Exception {
        try (Store store = open(name)) {
            long[] ends = writeHourlyRuns(store, 2);
            PruneResult p = store.prune(Instant.ofEpochMilli(T0 + 100 * HOUR));
            assertThat(p).isEqualTo(new PruneResult(ends[1], 2, ends[1]));
            assertThat(store.auditLines()).isEmpty();
            assertThat(store.runs(10)).isEmpty();
            assertThat(verify(store).sealedUpTo()).isEqualTo(ends[1]);
            assertThat(store.lastSeq()).isEqualTo(ends[1]);
            long[] more = writeHourlyRuns(store, 1);
            assertThat(more[0]).isBetween(ends[1] + RUN, ends[1] + RUN + 1);
            assertThat(verify(store).sealedUpTo()).isEqualTo(more[0]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void nothingOlderThanTheCutoffMeansNothingIsDeleted(String name) throws Exception {
        try (Store store = open(name)) {
            long[] ends = writeHourlyRuns(store, 2);
            assertThat(store.prune(Instant.ofEpochMilli(T0))).isEqualTo(new PruneResult(0, 0, 0));
            assertThat(store.auditLines()).hasSize((int) ends[1]);
            verify(store);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void onlyWholeCheckpointSpansAreDeleted(String name) throws Exception {
        try (Store store = open(name)) {
            try (AuditTrail trail =
                    new AuditTrail(store.trailSink(), keys, store.chain(), 1000, clock)) {
                TestRuns.synthesize(trail, T0, 5);
                trail.flush();
                // old events whose span is sealed only later, at close
                trail.accept(
                        new dev.airlock.core.event.LifecycleEvent(
                                1,
                                T0,
                                "late",
                                TestRuns.MODULE,
                                dev.airlock.core.event.LifecycleEvent.Type.MODULE_ACCEPTED,
                                java.util.Map.of()));
                trail.flush();
                clock.millis = T0 + 10 * HOUR;
                trail.accept(
                        new dev.airlock.core.event.LifecycleEvent(
                                2,
                                T0,
                                "late",
                                TestRuns.MODULE,
                                dev.airlock.core.event.LifecycleEvent.Type.INSTANCE_STARTED,
                                java.util.Map.of()));
            }
            // the second span's checkpoint is at T0 (flush), the third's at T0 + 10h
            PruneResult p = store.prune(Instant.ofEpochMilli(T0 + HOUR));
            // the first run has no run record: RUN - 1 records, then "late" and its checkpoint
            assertThat(p.anchorSeq()).isEqualTo(RUN - 1 + 2);
            assertThat(store.auditLines()).hasSize(2);
            assertThat(store.auditLines("late")).hasSize(1);
            verify(store);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void tamperedAnchorIsDetected(String name) throws Exception {
        long[] ends;
        try (Store store = open(name)) {
            ends = writeHourlyRuns(store, 3);
            store.prune(Instant.ofEpochMilli(T0 + HOUR + 1));
        }
        try (Connection c = backend.raw();
                Statement s = c.createStatement()) {
            // claim the chain starts later, hiding the next run's records
            s.execute("DELETE FROM audit_events WHERE seq <= " + (ends[1] + 4));
        }
        try (Store store = open(name)) {
            AuditVerifier.Result r = store.verify(keys.publicKey());
            assertThat(r.ok()).isFalse();
            assertThat(r.brokenSeq()).isEqualTo(ends[1] + 1);
        }
        try (Connection c = backend.raw();
                Statement s = c.createStatement()) {
            s.execute("UPDATE audit_chains SET anchor_hash = '" + "2".repeat(64) + "'");
        }
        try (Store store = open(name)) {
            AuditVerifier.Result r = store.verify(keys.publicKey());
            assertThat(r.ok()).isFalse();
            assertThat(r.reason()).contains("anchor");
        }
    }
}
