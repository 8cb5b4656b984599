package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.event.Decision;
import dev.airlock.core.event.HostCallEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trail's writer: checkpoint pacing, failures, and large bursts. */
class AuditTrailTest {
    @TempDir Path dir;
    AuditKeys keys;

    @BeforeEach
    void keys() throws IOException {
        keys = AuditKeys.loadOrCreate(dir.resolve("keys"));
    }

    static HostCallEvent call(long seq) {
        return new HostCallEvent(
                seq,
                1_700_000_000_000L,
                "run-1",
                "ab".repeat(32),
                "wasi_snapshot_preview1.fd_write",
                Map.of("fd", 1),
                Decision.ALLOW,
                null,
                0L,
                100);
    }

    static List<String> checkpointsIn(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (l.contains("\"type\":\"checkpoint\"")) {
                out.add(l);
            }
        }
        return out;
    }

    @Test
    void dueCheckpointsWaitForTheGap() throws IOException {
        // the clock stands still: after the first checkpoint (at record 10) no other is due
        // within the gap, however many records come; close seals the rest
        Clock frozen = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
        Path file = dir.resolve("paced.jsonl");
        try (AuditTrail t =
                new AuditTrail(
                        new JsonlSink(file),
                        keys,
                        HashChain.start(),
                        10,
                        frozen,
                        Duration.ofMillis(100))) {
            for (int i = 1; i <= 35; i++) {
                t.accept(call(i));
            }
        }
        List<String> cps = checkpointsIn(file);
        assertThat(cps).hasSize(2);
        assertThat(cps.get(0)).contains("\"seq\":11,");
        assertThat(cps.get(1)).contains("\"seq\":37,");
        assertThat(AuditVerifier.verify(file, keys.publicKey()).ok()).isTrue();
    }

    @Test
    void withoutAGapEveryDueCheckpointIsMade() throws IOException {
        Path file = dir.resolve("every.jsonl");
        try (AuditTrail t =
                new AuditTrail(
                        new JsonlSink(file),
                        keys,
                        HashChain.start(),
                        10,
                        Clock.systemUTC(),
                        Duration.ZERO)) {
            for (int i = 1; i <= 35; i++) {
                t.accept(call(i));
            }
        }
        // after records 10, 20, 30, and the rest at close
        assertThat(checkpointsIn(file)).hasSize(4);
        assertThat(AuditVerifier.verify(file, keys.publicKey()).ok()).isTrue();
    }

    @Test
    void aWriterErrorFailsFlushAndCloseInsteadOfHanging() {
        TrailSink broken =
                new TrailSink() {
                    @Override
                    public void append(SealedBatch batch) {
                        throw new IllegalStateException("disk on fire");
                    }

                    @Override
                    public void close() {}
                };
        AuditTrail t = new AuditTrail(broken, keys, HashChain.start(), 10);
        t.accept(call(1));
        assertThatThrownBy(t::flush)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("disk on fire");
        t.accept(call(2));
        assertThatThrownBy(t::close).isInstanceOf(IOException.class);
    }

    @Test
    void aBurstBeyondTheQueueBoundIsWrittenWhole() throws IOException {
        // more events than the queue holds: the guest waits for the writer, nothing is dropped
        Path file = dir.resolve("burst.jsonl");
        int n = 200_000;
        try (AuditTrail t = new AuditTrail(new JsonlSink(file), keys, HashChain.start(), 50_000)) {
            for (int i = 1; i <= n; i++) {
                t.accept(call(i));
            }
        }
        AuditVerifier.Result r = AuditVerifier.verify(file, keys.publicKey());
        assertThat(r.ok()).as(String.valueOf(r.reason())).isTrue();
        long events =
                Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                        .filter(l -> l.contains("\"type\":\"call\""))
                        .count();
        assertThat(events).isEqualTo(n);
    }

    @Test
    void concurrentGuestsLoseNothingAndKeepTheirOrder() throws Exception {
        // several runs at once, more events than the queue holds: each run's events all arrive,
        // in the order its thread gave them
        Path file = dir.resolve("concurrent.jsonl");
        int threads = 4;
        int each = 40_000;
        try (AuditTrail t = new AuditTrail(new JsonlSink(file), keys, HashChain.start(), 50_000)) {
            List<Thread> guests = new ArrayList<>();
            for (int g = 0; g < threads; g++) {
                String run = "run-" + g;
                Thread th =
                        new Thread(
                                () -> {
                                    for (int i = 1; i <= each; i++) {
                                        t.accept(
                                                new HostCallEvent(
                                                        i,
                                                        1L,
                                                        run,
                                                        "ab".repeat(32),
                                                        "wasi_snapshot_preview1.fd_write",
                                                        Map.of("fd", 1),
                                                        Decision.ALLOW,
                                                        null,
                                                        0L,
                                                        1));
                                    }
                                });
                guests.add(th);
                th.start();
            }
            for (Thread th : guests) {
                th.join();
            }
        }
        assertThat(AuditVerifier.verify(file, keys.publicKey()).ok()).isTrue();
        long[] next = new long[threads];
        java.util.Arrays.fill(next, 1);
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!l.contains("\"type\":\"call\"")) {
                continue;
            }
            var n = AuditRecords.json().readTree(l);
            int g = Integer.parseInt(n.path("run").asText().substring(4));
            assertThat(n.path("runSeq").asLong()).isEqualTo(next[g]);
            next[g]++;
        }
        for (int g = 0; g < threads; g++) {
            assertThat(next[g]).isEqualTo(each + 1L);
        }
    }

    @Test
    void batchesReachStoresAsRecords() throws IOException {
        List<SealedRecord> seen = new ArrayList<>();
        TrailSink collecting =
                new TrailSink() {
                    @Override
                    public void append(SealedBatch batch) {
                        seen.addAll(batch.records());
                    }

                    @Override
                    public void close() {}
                };
        try (AuditTrail t = new AuditTrail(collecting, keys, HashChain.start(), 1000)) {
            t.accept(call(1));
            t.accept(
                    new HostCallEvent(
                            2,
                            5L,
                            "run-1",
                            "session-9",
                            "ab".repeat(32),
                            "wasi_snapshot_preview1.sock_accept",
                            Map.of("fd", 3),
                            Decision.DENY,
                            "net.sockets",
                            8L,
                            10));
        }
        assertThat(seen).hasSize(3);
        assertThat(seen)
                .extracting(SealedRecord::type)
                .containsExactly("call", "call", "checkpoint");
        assertThat(seen).extracting(SealedRecord::seq).containsExactly(1L, 2L, 3L);
        assertThat(seen).extracting(SealedRecord::denied).containsExactly(false, true, false);
        assertThat(seen)
                .extracting(SealedRecord::sessionId)
                .containsExactly(null, "session-9", null);
        assertThat(seen.get(1).timeMillis()).isEqualTo(5L);
        String prev = HashChain.GENESIS;
        for (SealedRecord r : seen) {
            assertThat(r.line()).endsWith("\"hash\":\"" + r.hash() + "\"}");
            String text = r.line().substring(0, r.line().lastIndexOf(",\"hash\":"));
            if (r.type().equals("checkpoint")) {
                // linked: carries prev, hashes its own text
                assertThat(text).endsWith(",\"prev\":\"" + prev + "\"");
                assertThat(HashChain.sha256(text)).isEqualTo(r.hash());
            } else {
                // chained: the hash covers the previous hash and the text
                assertThat(r.line()).doesNotContain("\"prev\"").doesNotContain("\"module\"");
                assertThat(HashChain.chained(prev, text)).isEqualTo(r.hash());
            }
            prev = r.hash();
        }
        assertThat(seen.get(1).line()).contains("\"session\":\"session-9\"");
    }
}
