package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module refused before it runs (here: it imports a host function the policy does not grant)
 * leaves its refusal in the audit trail, naming the reason and the import, and the trail verifies.
 */
class RejectedModuleAuditTest {
    static final String UNGRANTED =
            "(module (import \"airlock.tool\" \"delete_everything\" (func (param i32) (result i32)))"
                    + " (memory (export \"memory\") 1) (func (export \"_start\")))";

    @TempDir Path dir;

    @Test
    void aRunOfARejectedModuleIsInTheTrail() throws Exception {
        AuditKeys keys = AuditKeys.loadOrCreate(dir);
        Path file = dir.resolve("trail.jsonl");
        Airlock airlock = Airlock.create();
        GuestModule m = airlock.load(Wat2Wasm.parse(UNGRANTED));
        Outcome o;
        try (AuditTrail trail =
                new AuditTrail(new JsonlSink(file), keys, HashChain.start(), 1000)) {
            o = airlock.run(m, Policy.defaults(), Stdio.discard(), trail);
        }
        assertThat(o.status()).isEqualTo(Status.REJECTED);
        assertThat(o.kind()).isEqualTo("unknown-import");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines)
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .contains("module_rejected")
                                        .contains("unknown-import")
                                        .contains("delete_everything"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("outcome").contains("rejected"));
        assertThat(AuditVerifier.verify(file, keys.publicKey()).ok()).isTrue();
    }

    @Test
    void aRefusedInstanceIsInTheTrailWithItsSession() throws Exception {
        AuditKeys keys = AuditKeys.loadOrCreate(dir);
        Path file = dir.resolve("trail.jsonl");
        Airlock airlock = Airlock.create();
        GuestModule m = airlock.load(Wat2Wasm.parse(UNGRANTED));
        try (AuditTrail trail =
                new AuditTrail(new JsonlSink(file), keys, HashChain.start(), 1000)) {
            try {
                airlock.instantiate(
                                m,
                                Policy.defaults(),
                                InstanceSetup.builder().events(trail).sessionId("s-1").build())
                        .close();
                throw new AssertionError("the instance should have been refused");
            } catch (ModuleRejectedException expected) {
                assertThat(expected.toOutcome().kind()).isEqualTo("unknown-import");
            }
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines)
                .anySatisfy(l -> assertThat(l).contains("module_rejected").contains("\"s-1\""));
        assertThat(AuditVerifier.verify(file, keys.publicKey()).ok()).isTrue();
    }

    @Test
    void bytesRefusedAtLoadAreInTheTrail() throws Exception {
        AuditKeys keys = AuditKeys.loadOrCreate(dir);
        Path file = dir.resolve("trail.jsonl");
        Airlock airlock = Airlock.create();
        Outcome o;
        try (AuditTrail trail =
                new AuditTrail(new JsonlSink(file), keys, HashChain.start(), 1000)) {
            try {
                airlock.load("\0asm but not really".getBytes(StandardCharsets.UTF_8));
                throw new AssertionError("the bytes should have been refused");
            } catch (ModuleRejectedException e) {
                o = airlock.rejected(e, trail);
            }
        }
        assertThat(o.status()).isEqualTo(Status.REJECTED);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines.get(0))
                .contains("\"step\":\"module_rejected\"")
                .contains("\"reason\":\"" + o.kind() + "\"");
        assertThat(lines.get(1)).contains("\"step\":\"outcome\"").contains("rejected");
        assertThat(AuditVerifier.verify(file, keys.publicKey()).ok()).isTrue();
    }
}
