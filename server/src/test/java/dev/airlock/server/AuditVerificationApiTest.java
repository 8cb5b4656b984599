package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/admin/audit/verification}: an admin key verifies every chain and every run's
 * stored outcome; an edited run or audit record makes it say so; other keys get 403.
 */
class AuditVerificationApiTest {
    static final String ADMIN = "admin-bootstrap-key-0123456789";

    static String run(ServerKit kit, String key) throws Exception {
        String body =
                "{\"language\":\"wasm\",\"module\":\""
                        + ExecutionApiTest.module(ExecutionApiTest.ECHO_ARGS)
                        + "\"}";
        return json(kit.post("/v1/executions", key, body)).get("runId").asText();
    }

    @Test
    void anIntactStoreVerifiesAndAnEditedRunDoesNot() throws Exception {
        try (ServerKit kit = ServerKit.start(b -> b.bootstrapKey(ADMIN))) {
            String key = kit.key("acme");
            run(kit, key);
            run(kit, key);
            var ok = kit.get("/v1/admin/audit/verification", ADMIN);
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            JsonNode v = json(ok);
            assertThat(v.get("intact").asBoolean()).as(v.toString()).isTrue();
            assertThat(v.get("runsChecked").asLong()).isEqualTo(2);
            assertThat(v.get("writers")).isNotEmpty();
            assertThat(v.get("writers").get(0).get("broken").asBoolean()).isFalse();
            assertThat(v.get("writers").get(0).get("records").asLong()).isPositive();
            // a tenant's key may not read the whole trail
            assertThat(kit.get("/v1/admin/audit/verification", key).statusCode()).isEqualTo(403);
            kit.tamper("UPDATE runs SET status = 'trap', kind = 'unreachable'");
            JsonNode edited = json(kit.get("/v1/admin/audit/verification", ADMIN));
            assertThat(edited.get("intact").asBoolean()).isFalse();
            assertThat(edited.get("runFaults")).isNotEmpty();
        }
    }

    @Test
    void anEditedAuditRecordBreaksItsChain() throws Exception {
        try (ServerKit kit = ServerKit.start(b -> b.bootstrapKey(ADMIN))) {
            String key = kit.key("acme");
            run(kit, key);
            assertThat(
                            json(kit.get("/v1/admin/audit/verification", ADMIN))
                                    .get("intact")
                                    .asBoolean())
                    .isTrue();
            kit.tamper("UPDATE audit_events SET line = replace(line, 'fd_write', 'fd_read')");
            JsonNode v = json(kit.get("/v1/admin/audit/verification", ADMIN));
            assertThat(v.get("intact").asBoolean()).as(v.toString()).isFalse();
            JsonNode w = v.get("writers").get(0);
            assertThat(w.get("broken").asBoolean()).isTrue();
            assertThat(w.get("brokenSeq").asLong()).isPositive();
            assertThat(w.get("reason").asText()).isNotEmpty().doesNotContain("Exception");
        }
    }
}
