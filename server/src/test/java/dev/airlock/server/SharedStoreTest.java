package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.store.Store;
import dev.airlock.audit.store.StoreVerification;
import dev.airlock.core.Airlock;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A server and another process (such as {@code airlock run}) on one data folder: both record their
 * runs, each in its own writer's chain, and everything verifies.
 */
class SharedStoreTest {
    @Test
    void aRunWhoseRecordsCannotBeStoredIsAnErrorNotARecordedRun() throws Exception {
        try (ServerKit kit = ServerKit.start()) {
            String key = kit.key("acme");
            String body =
                    "{\"language\":\"wasm\",\"module\":\""
                            + ExecutionApiTest.module(ExecutionApiTest.ECHO_ARGS)
                            + "\"}";
            assertThat(kit.post("/v1/executions", key, body).statusCode()).isEqualTo(200);
            // the server's chain is taken from under it: its next batch is refused
            kit.tamper("UPDATE audit_chains SET state = 'closed'");
            var failed = kit.post("/v1/executions", key, body);
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body())
                    .contains("could not be recorded")
                    .doesNotContain("Exception", "dev.airlock", "audit_", "runId");
            // streamed: an error event instead of the result
            var streamed =
                    kit.http.send(
                            java.net.http.HttpRequest.newBuilder(kit.uri("/v1/executions"))
                                    .header("Authorization", "Bearer " + key)
                                    .header("Content-Type", "application/json")
                                    .header("Accept", "text/event-stream")
                                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(streamed.body())
                    .contains("event: error", "could not be recorded")
                    .doesNotContain("event: result", "Exception");
            try (Store store = Store.open(kit.data)) {
                assertThat(store.runs(10)).hasSize(1);
            }
        }
    }

    @Test
    void aRunWhoseStoredOutcomeWasEditedIsNotServed() throws Exception {
        try (ServerKit kit = ServerKit.start()) {
            String key = kit.key("acme");
            String body =
                    "{\"language\":\"wasm\",\"module\":\""
                            + ExecutionApiTest.module(ExecutionApiTest.ECHO_ARGS)
                            + "\"}";
            String runId = json(kit.post("/v1/executions", key, body)).get("runId").asText();
            assertThat(kit.get("/v1/runs/" + runId, key).statusCode()).isEqualTo(200);
            kit.tamper("UPDATE runs SET status = 'trap', kind = 'unreachable'");
            // before: the forged outcome was served as it was
            var forged = kit.get("/v1/runs/" + runId, key);
            assertThat(forged.statusCode()).isEqualTo(500);
            assertThat(forged.body())
                    .contains("differs from the one sealed")
                    .doesNotContain("unreachable", "Exception");
            // the evidence stays readable
            assertThat(kit.get("/v1/runs/" + runId + "/audit", key).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void runsOfAnotherWriterOnTheSameStoreDoNotBreakTheServersRecording() throws Exception {
        try (ServerKit kit = ServerKit.start()) {
            String key = kit.key("acme");
            String body =
                    "{\"language\":\"wasm\",\"module\":\""
                            + ExecutionApiTest.module(ExecutionApiTest.ECHO_ARGS)
                            + "\"}";
            JsonNode first = json(kit.post("/v1/executions", key, body));
            AuditKeys keys = AuditKeys.loadOrCreate(kit.data);
            try (Store other = Store.open(kit.data);
                    AuditTrail trail =
                            new AuditTrail(other.trailSink(), keys, other.chain(), 1000)) {
                Airlock airlock = Airlock.create();
                String[] id = new String[1];
                Outcome o =
                        airlock.run(
                                airlock.load(
                                        com.dylibso.chicory.wabt.Wat2Wasm.parse(
                                                ExecutionApiTest.ECHO_ARGS)),
                                Policy.defaults(),
                                Stdio.discard(),
                                e -> {
                                    id[0] = e.runId();
                                    trail.accept(e);
                                });
                other.recordRun(trail, id[0], o, Instant.now(), Instant.now(), null, null);
            }
            // before: the server's next records were refused as "already stored", the run was
            // answered 200 without them, and verify still said "chain intact"
            var second = kit.post("/v1/executions", key, body);
            assertThat(second.statusCode()).isEqualTo(200);
            String runId = json(second).get("runId").asText();
            var audit = kit.get("/v1/runs/" + runId + "/audit", key);
            assertThat(audit.statusCode()).isEqualTo(200);
            assertThat(audit.body()).contains("\"type\":\"run\"", "\"step\":\"outcome\"");

            try (Store store = Store.open(kit.data)) {
                StoreVerification v = store.verifyAll(keys.publicKey());
                assertThat(v.intact()).as(v.toString()).isTrue();
                assertThat(v.crashed()).isFalse();
                assertThat(v.writers()).hasSize(2);
                assertThat(v.runsChecked()).isEqualTo(3);
                assertThat(store.run(first.get("runId").asText())).isPresent();
            }
        }
    }
}
