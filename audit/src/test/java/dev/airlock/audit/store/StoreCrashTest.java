package dev.airlock.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.AuditVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The crash guarantee: a process writing through an {@link AuditTrail} is killed with SIGKILL; the
 * store opens cleanly and its trail verifies up to its last checkpoint, with at most an unsealed
 * tail after it, which the next writer seals with a checkpoint marking the unclean stop. While the
 * child lives, its chain is left alone.
 */
class StoreCrashTest {
    @TempDir Path tmp;
    Backend backend;

    static List<String[]> cases() {
        List<String[]> cases = new ArrayList<>();
        for (String b : Backend.names()) {
            cases.add(new String[] {b, "guest"});
            cases.add(new String[] {b, "synthetic"});
        }
        return cases;
    }

    @AfterEach
    void dropBackend() throws Exception {
        if (backend != null) {
            backend.close();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void killedWriterLeavesAVerifiableStore(String name, String mode) throws Exception {
        backend = Backend.create(name, tmp.resolve("data"));
        Path keyDir = tmp.resolve("keys");
        AuditKeys keys = AuditKeys.loadOrCreate(keyDir);
        Path log = tmp.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child =
                new ProcessBuilder(
                                java,
                                "-cp",
                                System.getProperty("java.class.path"),
                                CrashWriter.class.getName(),
                                backend.arg(),
                                keyDir.toString(),
                                mode)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        long seen = 0;
        // synthetic events come fast: let many batches through, most end between checkpoints
        long enough = "guest".equals(mode) ? 3000 : 20000;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            Store watcher = null;
            try {
                while (seen < enough) {
                    assertThat(child.isAlive())
                            .as("child died early: %s", Files.readString(log))
                            .isTrue();
                    assertThat(System.nanoTime())
                            .as("timed out, %d records; child: %s", seen, Files.readString(log))
                            .isLessThan(deadline);
                    Thread.sleep(50);
                    if (watcher == null) {
                        watcher = backend.open();
                        // the child holds its writer's lock: its chain is not taken for dead
                        assertThat(watcher.recoverCrashed(keys)).isEmpty();
                    }
                    seen = watcher.recordCount();
                }
            } finally {
                if (watcher != null) {
                    watcher.close();
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        try (Store store = backend.open()) {
            long stored = store.recordCount();
            assertThat(stored).isGreaterThanOrEqualTo(seen);
            StoreVerification before = store.verifyAll(keys.publicKey());
            assertThat(before.intact()).isTrue();
            assertThat(before.writers())
                    .singleElement()
                    .satisfies(w -> assertThat(w.live()).isFalse());
            assertThat(before.crashed()).isEqualTo(!before.writers().get(0).result().ok());
            AuditVerifier.Result r = store.verify(keys.publicKey());
            System.out.printf(
                    "%s %s: killed at %d records, sealed up to %d, %s%n",
                    name, mode, stored, r.sealedUpTo(), r.ok() ? "all sealed" : r.reason());
            assertThat(r.sealedUpTo()).isGreaterThan(0);
            if (!r.ok()) {
                // only an unsealed tail, nothing broken before the last checkpoint
                assertThat(r.reason()).contains("not sealed");
                assertThat(r.brokenSeq()).isEqualTo(r.sealedUpTo() + 1);
                assertThat(stored).isGreaterThan(r.sealedUpTo());
            } else {
                assertThat(r.sealedUpTo()).isEqualTo(stored);
            }
            if ("guest".equals(mode)) {
                assertThat(store.runs(5)).isNotEmpty();
            }
            // the next writer seals what was left, marking the unclean stop, and writes its own
            String dead = before.writers().get(0).id();
            assertThat(store.recoverCrashed(keys))
                    .containsExactly(new Store.Recovery(dead, stored + 1));
            try (AuditTrail trail = new AuditTrail(store.trailSink(), keys, store.chain(), 1000)) {
                TestRuns.synthesize(trail, System.currentTimeMillis(), 3);
            }
            StoreVerification after = store.verifyAll(keys.publicKey());
            assertThat(after.intact()).isTrue();
            assertThat(after.crashed()).isTrue();
            assertThat(after.writers()).hasSize(2).allMatch(w -> w.result().ok());
            assertThat(after.writers().get(0).result().recoveredAt()).isEqualTo(stored + 1);
            assertThat(after.writers().get(1).result().sealedUpTo()).isEqualTo(2 + 3 + 1 + 1);
            assertThat(store.verify(keys.publicKey()).ok()).isTrue();
        }
    }
}
