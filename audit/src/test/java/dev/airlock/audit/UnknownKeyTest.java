package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.event.LifecycleEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trail checked with another key than the one that signed it names the key that did. */
class UnknownKeyTest {
    @TempDir Path dir;

    static LifecycleEvent outcome() {
        return new LifecycleEvent(
                1,
                1000,
                "r1",
                "ab".repeat(32),
                LifecycleEvent.Type.OUTCOME,
                Map.of("status", "ok"));
    }

    @Test
    void anIntactTrailCheckedWithAnotherKeyNamesTheSigningKeyId() throws Exception {
        AuditKeys writer = AuditKeys.loadOrCreate(dir.resolve("writer"));
        AuditKeys other = AuditKeys.loadOrCreate(dir.resolve("other"));
        Path trail = dir.resolve("trail.jsonl");
        try (AuditTrail t = new AuditTrail(new JsonlSink(trail), writer, HashChain.start(), 10)) {
            t.accept(outcome());
        }
        assertThat(AuditVerifier.verify(trail, writer.publicKey()).ok()).isTrue();

        AuditVerifier.Result r = AuditVerifier.verify(trail, other.publicKey());

        assertThat(r.ok()).isFalse();
        assertThat(r.reason())
                .contains("signed by key " + writer.keyId())
                .contains(other.keyId())
                .doesNotContain("does not verify");
        assertThat(r.brokenSeq()).isEqualTo(2);
    }

    @Test
    void aForgedSignatureUnderTheRightKeyIdStillDoesNotVerify() throws Exception {
        AuditKeys writer = AuditKeys.loadOrCreate(dir.resolve("writer"));
        Path trail = dir.resolve("trail.jsonl");
        try (AuditTrail t = new AuditTrail(new JsonlSink(trail), writer, HashChain.start(), 10)) {
            t.accept(outcome());
        }
        List<String> lines = java.nio.file.Files.readAllLines(trail);
        String sig = lines.get(1).replaceAll(".*\"sig\":\"([^\"]+)\".*", "$1");
        String forged = (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1);
        String line = lines.get(1).replace(sig, forged);
        String prefix = line.substring(0, line.lastIndexOf(",\"hash\":"));
        lines.set(1, prefix + ",\"hash\":\"" + HashChain.sha256(prefix) + "\"}");

        AuditVerifier.Result r =
                AuditVerifier.verify(lines.iterator(), writer.publicKey(), 0, HashChain.GENESIS);

        assertThat(r.ok()).isFalse();
        assertThat(r.reason()).isEqualTo("checkpoint signature does not verify");
    }
}
