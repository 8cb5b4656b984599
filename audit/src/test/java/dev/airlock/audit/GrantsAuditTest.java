package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.core.Airlock;
import dev.airlock.core.ClockMode;
import dev.airlock.core.GuestInstance;
import dev.airlock.core.GuestModule;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a policy grants is in the trail when a run's module is accepted and when an instance starts,
 * as structured JSON: environment variable names (never their values), mounts with modes, clock,
 * randomness, tools. A guest that never calls {@code environ_get} (an interpreter image applies its
 * environment by itself) still leaves a record of what it was given.
 */
class GrantsAuditTest {
    static final String QUIET =
            "(module (memory (export \"memory\") 1) (func (export \"_start\")))";

    @TempDir Path dir;

    @Test
    void grantsAreRecordedWithoutSecretValues() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Policy policy =
                Policy.builder()
                        .env("API_TOKEN", "hunter2-secret-value")
                        .env("LANG", "C")
                        .mount(Mount.parse(dir.resolve("data") + ":/data:ro"))
                        .clock(ClockMode.FROZEN)
                        .tool("lookup", json -> "{}")
                        .build();
        AuditKeys keys = AuditKeys.loadOrCreate(dir);
        Path file = dir.resolve("trail.jsonl");
        Airlock airlock = Airlock.create();
        GuestModule m = airlock.load(Wat2Wasm.parse(QUIET));
        try (AuditTrail trail =
                new AuditTrail(new JsonlSink(file), keys, HashChain.start(), 1000)) {
            airlock.run(m, policy, Stdio.discard(), trail);
            try (GuestInstance g =
                    airlock.instantiate(m, policy, InstanceSetup.builder().events(trail).build())) {
                assertThat(g.memoryBytes()).isPositive();
            }
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(String.join("\n", lines)).doesNotContain("hunter2");
        ObjectMapper json = new ObjectMapper();
        List<String> steps = new java.util.ArrayList<>();
        for (String line : lines) {
            JsonNode n = json.readTree(line);
            JsonNode g = n.path("details").path("grants");
            if (g.isMissingNode()) {
                continue;
            }
            steps.add(n.path("step").asText());
            assertThat(g.path("env").toString()).isEqualTo("[\"API_TOKEN\",\"LANG\"]");
            assertThat(g.path("mounts").toString()).isEqualTo("[\"/data:ro\"]");
            assertThat(g.path("clock").asText()).isEqualTo("frozen");
            assertThat(g.path("tools").toString()).isEqualTo("[\"lookup\"]");
            assertThat(g.path("args").asInt()).isZero();
        }
        // the run's, when its module is accepted, and the long-lived instance's, when it starts
        assertThat(steps).containsExactly("module_accepted", "instance_started");
        assertThat(AuditVerifier.verify(file, keys.publicKey()).ok()).isTrue();
    }
}
