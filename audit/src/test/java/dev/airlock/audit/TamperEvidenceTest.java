package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.core.Airlock;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trail verifies untouched and fails, naming the place, on every kind of tampering. */
class TamperEvidenceTest {
    static final String GUEST =
            "(module (import \"wasi_snapshot_preview1\" \"fd_write\""
                    + " (func $w (param i32 i32 i32 i32) (result i32)))"
                    + " (import \"wasi_snapshot_preview1\" \"sock_accept\""
                    + " (func $a (param i32 i32 i32) (result i32)))"
                    + " (memory 1) (data (i32.const 16) \"hi\\n\")"
                    + " (func (export \"_start\") (local $i i32)"
                    + "  (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 3))"
                    + "  (drop (call $a (i32.const 3) (i32.const 0) (i32.const 8)))"
                    + "  (loop $l (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))"
                    + "   (local.set $i (i32.add (local.get $i) (i32.const 1)))"
                    + "   (br_if $l (i32.lt_u (local.get $i) (i32.const 20))))))";

    @TempDir Path dir;
    Path trail;
    AuditKeys keys;

    @BeforeEach
    void writeTrail() throws Exception {
        keys = AuditKeys.loadOrCreate(dir.resolve("data"));
        trail = dir.resolve("trail.jsonl");
        Airlock airlock = Airlock.create();
        var module = airlock.load(Wat2Wasm.parse(GUEST));
        try (AuditTrail t = new AuditTrail(new JsonlSink(trail), keys, HashChain.start(), 10)) {
            for (int i = 0; i < 2; i++) {
                Outcome o = airlock.run(module, Policy.defaults(), Stdio.discard(), t);
                assertThat(o.status()).isEqualTo(Status.OK);
            }
        }
    }

    List<String> lines() throws IOException {
        return new ArrayList<>(Files.readAllLines(trail, StandardCharsets.UTF_8));
    }

    AuditVerifier.Result verify(List<String> lines) {
        return AuditVerifier.verify(lines.iterator(), keys.publicKey(), 0, HashChain.GENESIS);
    }

    @Test
    void untouchedTrailVerifies() throws IOException {
        AuditVerifier.Result r = AuditVerifier.verify(trail, keys.publicKey());
        assertThat(r.ok()).as(String.valueOf(r.reason())).isTrue();
        List<String> lines = lines();
        // 2 runs x (accepted + started + 21 calls + outcome) = 48 events, plus checkpoints
        long events = lines.stream().filter(l -> !l.contains("\"type\":\"checkpoint\"")).count();
        assertThat(events).isEqualTo(48);
        assertThat(lines.get(lines.size() - 1)).contains("\"type\":\"checkpoint\"");
        assertThat(lines)
                .anyMatch(l -> l.contains("\"decision\":\"deny\"") && l.contains("net.sockets"));
        assertThat(r.sealedUpTo()).isEqualTo(lines.size());
    }

    @Test
    void editedFieldIsDetected() throws IOException {
        List<String> lines = lines();
        lines.set(5, lines.get(5).replace("\"decision\":\"allow\"", "\"decision\":\"deny\""));
        AuditVerifier.Result r = verify(lines);
        assertThat(r.ok()).isFalse();
        assertThat(r.brokenLine()).isEqualTo(6);
        assertThat(r.reason()).contains("edited");
    }

    @Test
    void droppedLineIsDetected() throws IOException {
        List<String> lines = lines();
        lines.remove(7);
        AuditVerifier.Result r = verify(lines);
        assertThat(r.ok()).isFalse();
        assertThat(r.brokenSeq()).isEqualTo(8);
        assertThat(r.brokenLine()).isEqualTo(8);
    }

    @Test
    void reorderedPairIsDetected() throws IOException {
        List<String> lines = lines();
        String a = lines.get(3);
        lines.set(3, lines.get(4));
        lines.set(4, a);
        AuditVerifier.Result r = verify(lines);
        assertThat(r.ok()).isFalse();
        assertThat(r.brokenLine()).isEqualTo(4);
    }

    @Test
    void truncatedFileIsDetected() throws IOException {
        byte[] all = Files.readAllBytes(trail);
        Files.write(trail, java.util.Arrays.copyOf(all, all.length - 40));
        AuditVerifier.Result cut = AuditVerifier.verify(trail, keys.publicKey());
        assertThat(cut.ok()).isFalse();
        assertThat(cut.reason()).contains("truncated");

        List<String> lines = lines();
        AuditVerifier.Result tail = verify(lines.subList(0, lines.size() - 2));
        assertThat(tail.ok()).isFalse();
        assertThat(tail.reason()).contains("not sealed");
        assertThat(tail.sealedUpTo()).isGreaterThan(0);
    }

    @Test
    void forgedSignatureIsDetected() throws Exception {
        // re-seal a changed trail with a different key: hashes hold, signatures do not
        List<String> lines = lines();
        var other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        AuditVerifier.Result r =
                AuditVerifier.verify(lines.iterator(), other.getPublic(), 0, HashChain.GENESIS);
        assertThat(r.ok()).isFalse();
        assertThat(r.reason()).contains("signature");

        int cp = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"type\":\"checkpoint\"")) {
                cp = i;
                break;
            }
        }
        String line = lines.get(cp);
        int sig = line.indexOf("\"sig\":\"") + 7;
        byte[] raw = Base64.getDecoder().decode(line.substring(sig, line.indexOf('"', sig)));
        raw[0] ^= 1;
        String forged =
                line.substring(0, sig)
                        + Base64.getEncoder().encodeToString(raw)
                        + line.substring(line.indexOf('"', sig));
        lines.set(cp, forged);
        AuditVerifier.Result f = verify(lines);
        assertThat(f.ok()).isFalse();
        assertThat(f.brokenLine()).isEqualTo(cp + 1);
    }
}
