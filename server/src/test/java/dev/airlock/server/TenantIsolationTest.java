package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A tenant never sees another tenant's runs, sessions, snapshots or audit: 404, not 403. */
class TenantIsolationTest {
    static ServerKit kit;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() throws Exception {
        kit = ServerKit.start();
        alice = kit.key("alice");
        bob = kit.key("bob");
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
    }

    @Test
    void otherTenantsThingsAreNotFound() throws Exception {
        String runId =
                json(kit.post(
                                "/v1/executions",
                                alice,
                                "{\"language\":\"python\",\"code\":\"print(1)\"}"))
                        .get("runId")
                        .asText();
        assertThat(kit.get("/v1/runs/" + runId, alice).statusCode()).isEqualTo(200);
        assertThat(kit.get("/v1/runs/" + runId, bob).statusCode()).isEqualTo(404);
        assertThat(kit.get("/v1/runs/" + runId + "/audit", bob).statusCode()).isEqualTo(404);

        String session =
                json(kit.post("/v1/sessions", alice, "{\"language\":\"python\"}"))
                        .get("id")
                        .asText();
        String snap =
                json(kit.post("/v1/sessions/" + session + "/snapshots", alice, null))
                        .get("id")
                        .asText();
        String base = "/v1/sessions/" + session;
        assertThat(kit.get(base, bob).statusCode()).isEqualTo(404);
        assertThat(kit.post(base + "/executions", bob, "{\"code\":\"print(1)\"}").statusCode())
                .isEqualTo(404);
        assertThat(kit.get(base + "/files", bob).statusCode()).isEqualTo(404);
        assertThat(kit.send("PUT", base + "/files/x.txt", bob, "{}").statusCode()).isEqualTo(404);
        assertThat(kit.post(base + "/snapshots", bob, null).statusCode()).isEqualTo(404);
        assertThat(
                        kit.post(base + "/restore", bob, "{\"snapshotId\":\"" + snap + "\"}")
                                .statusCode())
                .isEqualTo(404);
        assertThat(kit.post(base + "/fork", bob, null).statusCode()).isEqualTo(404);
        assertThat(kit.send("DELETE", base, bob, null).statusCode()).isEqualTo(404);
        HttpResponse<String> bobs = kit.get("/v1/sessions", bob);
        assertThat(json(bobs).get("sessions")).isEmpty();
        // still alive for its owner
        assertThat(kit.post(base + "/executions", alice, "{\"code\":\"print(2)\"}").statusCode())
                .isEqualTo(200);
        assertThat(json(kit.get("/v1/sessions", alice)).get("sessions")).hasSize(1);
    }
}
