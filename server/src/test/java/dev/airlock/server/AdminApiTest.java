package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bootstrap admin key manages tenants and keys over HTTP; other keys get 403. */
class AdminApiTest {
    static final String ADMIN = "admin-bootstrap-key-0123456789";
    static ServerKit kit;

    @BeforeAll
    static void start() throws Exception {
        kit = ServerKit.start(b -> b.bootstrapKey(ADMIN));
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
    }

    @Test
    void adminCreatesATenantAndAKeyThatWorksUntilRevoked() throws Exception {
        HttpResponse<String> t =
                kit.send(
                        "PUT",
                        "/v1/admin/tenants/team-a",
                        ADMIN,
                        "{\"maxTimeoutMs\":2000,\"maxRunsPerMinute\":50}");
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        assertThat(json(t).get("limits").get("maxRunsPerMinute").asInt()).isEqualTo(50);
        HttpResponse<String> k =
                kit.post("/v1/admin/tenants/team-a/keys", ADMIN, "{\"label\":\"ci\"}");
        assertThat(k.statusCode()).isEqualTo(201);
        JsonNode key = json(k);
        String secret = key.get("secret").asText();
        assertThat(key.get("tenant").asText()).isEqualTo("team-a");
        HttpResponse<String> run =
                kit.post(
                        "/v1/executions",
                        secret,
                        "{\"language\":\"javascript\",\"code\":\"console.log(1)\",\"limits\":{\"timeoutMs\":3000}}");
        assertThat(run.statusCode()).as("above the new ceiling").isEqualTo(400);
        assertThat(
                        kit.post(
                                        "/v1/executions",
                                        secret,
                                        "{\"language\":\"javascript\",\"code\":\"console.log(1)\"}")
                                .statusCode())
                .isEqualTo(200);
        HttpResponse<String> list = kit.get("/v1/admin/keys?tenant=team-a", ADMIN);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains(key.get("keyId").asText()).doesNotContain(secret);
        assertThat(
                        kit.send(
                                        "DELETE",
                                        "/v1/admin/keys/" + key.get("keyId").asText(),
                                        ADMIN,
                                        null)
                                .statusCode())
                .isEqualTo(204);
        assertThat(
                        kit.post(
                                        "/v1/executions",
                                        secret,
                                        "{\"language\":\"javascript\",\"code\":\"1\"}")
                                .statusCode())
                .isEqualTo(401);
        assertThat(kit.send("DELETE", "/v1/admin/keys/no-such-key", ADMIN, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void ordinaryKeysGet403() throws Exception {
        String plain = kit.key("someone");
        assertThat(kit.get("/v1/admin/tenants", plain).statusCode()).isEqualTo(403);
        assertThat(kit.post("/v1/admin/tenants/x/keys", plain, "{}").statusCode()).isEqualTo(403);
        assertThat(kit.send("PUT", "/v1/admin/tenants/x", plain, "{}").statusCode()).isEqualTo(403);
        assertThat(kit.get("/v1/admin/tenants", null).statusCode()).isEqualTo(401);
    }

    @Test
    void badTenantNamesAndValuesAre400() throws Exception {
        assertThat(kit.send("PUT", "/v1/admin/tenants/bad%20name", ADMIN, "{}").statusCode())
                .isEqualTo(400);
        assertThat(
                        kit.send("PUT", "/v1/admin/tenants/ok", ADMIN, "{\"maxConcurrentRuns\":0}")
                                .statusCode())
                .isEqualTo(400);
        assertThat(
                        kit.send("PUT", "/v1/admin/tenants/ok", ADMIN, "{\"maxConcurrentRun\":1}")
                                .statusCode())
                .isEqualTo(400);
    }
}
