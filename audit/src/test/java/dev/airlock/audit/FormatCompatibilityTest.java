package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.core.Airlock;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.Decision;
import dev.airlock.core.event.HostCallEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record format 2 (chained lines, no module in calls) against format 1 (every line linked by {@code
 * prev}): the verifier reads trails of both, and trails that continue one with the other. The
 * format 1 trail is a fixture written by the format 1 writer (commit 50e15cf) with its own key.
 */
class FormatCompatibilityTest {
    @TempDir Path dir;

    private static List<String> fixture() throws IOException {
        try (InputStream in =
                FormatCompatibilityTest.class.getResourceAsStream("format1/trail.jsonl")) {
            return new ArrayList<>(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        }
    }

    private PublicKey fixtureKey() throws IOException {
        Path keys = Files.createDirectories(dir.resolve("fixture-key"));
        try (InputStream in =
                FormatCompatibilityTest.class.getResourceAsStream("format1/audit-key.pub")) {
            Files.write(keys.resolve(AuditKeys.PUBLIC_FILE), in.readAllBytes());
        }
        return AuditKeys.loadPublic(keys);
    }

    private static AuditVerifier.Result verify(List<String> lines, PublicKey key) {
        return AuditVerifier.verify(lines.iterator(), key, 0, HashChain.GENESIS);
    }

    @Test
    void formatOneTrailStillVerifies() throws IOException {
        List<String> lines = fixture();
        assertThat(lines).hasSize(20);
        assertThat(lines).allMatch(l -> l.contains("\"prev\":\""));
        assertThat(lines.get(3)).contains("\"module\":").contains("\"rule\":null");
        AuditVerifier.Result r = verify(lines, fixtureKey());
        assertThat(r.ok()).as(String.valueOf(r.reason())).isTrue();
        assertThat(r.sealedUpTo()).isEqualTo(20);
    }

    @Test
    void formatOneTamperingIsStillDetected() throws IOException {
        PublicKey key = fixtureKey();
        List<String> edited = fixture();
        edited.set(4, edited.get(4).replace("\"bytes\":3", "\"bytes\":4"));
        assertThat(edited.get(4)).isNotEqualTo(fixture().get(4));
        AuditVerifier.Result r = verify(edited, key);
        assertThat(r.ok()).isFalse();
        assertThat(r.brokenLine()).isEqualTo(5);
        assertThat(r.reason()).contains("edited");

        List<String> dropped = fixture();
        dropped.remove(6);
        assertThat(verify(dropped, key).brokenLine()).isEqualTo(7);

        // a format 1 line rewritten as format 2 (prev removed, hash recomputed as chained)
        List<String> converted = fixture();
        String line = converted.get(4);
        String prev = field(line, "prev");
        String text = line.substring(0, line.lastIndexOf(",\"prev\":"));
        String hash = HashChain.chained(prev, text);
        converted.set(4, text + ",\"hash\":\"" + hash + "\"}");
        AuditVerifier.Result c = verify(converted, key);
        assertThat(c.ok()).isFalse();
        assertThat(c.brokenLine()).isEqualTo(6); // its own hash holds, the next line's prev not
    }

    @Test
    void formatTwoContinuesAFormatOneChain() throws Exception {
        // a store written by format 1 and continued by format 2: linked lines (as format 1 wrote
        // them), then the trail's chained ones after them, all under one key
        AuditKeys keys = AuditKeys.loadOrCreate(dir.resolve("keys"));
        HashChain chain = HashChain.start();
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            HostCallEvent e =
                    new HostCallEvent(
                            i,
                            1000L + i,
                            "run-old",
                            "ab".repeat(32),
                            "wasi_snapshot_preview1.fd_write",
                            Map.of("fd", 1),
                            Decision.ALLOW,
                            null,
                            0L,
                            10);
            lines.add(chain.seal(AuditRecords.open(e, chain.next())));
        }
        long seq = chain.next();
        lines.add(chain.seal(AuditRecords.checkpoint(seq, 2000L, chain.last(), keys)));
        assertThat(lines).allMatch(l -> l.contains("\"prev\":\""));

        Path file = dir.resolve("new.jsonl");
        Airlock airlock = Airlock.create();
        var module = airlock.load(Wat2Wasm.parse(TamperEvidenceTest.GUEST));
        try (AuditTrail t =
                new AuditTrail(new JsonlSink(file), keys, new HashChain(chain.last(), seq), 7)) {
            airlock.run(module, Policy.defaults(), Stdio.discard(), t);
        }
        List<String> added = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(added.get(0)).contains("\"seq\":5,").doesNotContain("\"prev\"");
        lines.addAll(added);
        AuditVerifier.Result r = verify(lines, keys.publicKey());
        assertThat(r.ok()).as(String.valueOf(r.reason())).isTrue();
        assertThat(r.sealedUpTo()).isEqualTo(lines.size());

        // and the seam is covered: the first format 2 line depends on the last format 1 hash
        List<String> seam = new ArrayList<>(lines);
        seam.set(3, seam.get(3).replace("\"time\":2000", "\"time\":2001"));
        AuditVerifier.Result s = verify(seam, keys.publicKey());
        assertThat(s.ok()).isFalse();
        assertThat(s.brokenLine()).isEqualTo(4);
    }

    @Test
    void aChainedLineMadeToLookLinkedIsDetected() throws Exception {
        AuditKeys keys = AuditKeys.loadOrCreate(dir.resolve("keys"));
        Path file = dir.resolve("t.jsonl");
        Airlock airlock = Airlock.create();
        var module = airlock.load(Wat2Wasm.parse(TamperEvidenceTest.GUEST));
        try (AuditTrail t = new AuditTrail(new JsonlSink(file), keys, HashChain.start(), 100)) {
            airlock.run(module, Policy.defaults(), Stdio.discard(), t);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(verify(lines, keys.publicKey()).ok()).isTrue();
        // line 5 re-sealed as a linked line with a true prev: its own hash holds, and the line
        // after it, chained to the original hash, breaks
        String line = lines.get(4);
        String prev = lines.get(3).substring(lines.get(3).length() - 66, lines.get(3).length() - 2);
        String text =
                line.substring(0, line.lastIndexOf(",\"hash\":")) + ",\"prev\":\"" + prev + "\"";
        lines.set(4, text + ",\"hash\":\"" + HashChain.sha256(text) + "\"}");
        AuditVerifier.Result r = verify(lines, keys.publicKey());
        assertThat(r.ok()).isFalse();
        assertThat(r.brokenLine()).isEqualTo(6);
    }

    private static String field(String line, String name) {
        String mark = "\"" + name + "\":\"";
        int at = line.lastIndexOf(mark) + mark.length();
        return line.substring(at, line.indexOf('"', at));
    }
}
