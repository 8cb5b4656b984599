package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static dev.airlock.server.ServerKit.str;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.core.time.FakeTicker;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sessions over HTTP: state, files, snapshots, restore, fork, close, expiry, resets. */
class SessionApiTest {
    static final FakeTicker ticker = new FakeTicker();
    static ServerKit kit;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        kit = ServerKit.start(b -> b.ticker(ticker).sessionIdleTimeout(Duration.ofMinutes(5)));
        key = kit.key("acme");
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
    }

    static String open(String language) throws Exception {
        return open(language, "");
    }

    static String open(String language, String extra) throws Exception {
        HttpResponse<String> r =
                kit.post("/v1/sessions", key, "{\"language\":\"" + language + "\"" + extra + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asText();
    }

    static JsonNode exec(String id, String code) throws Exception {
        HttpResponse<String> r =
                kit.post("/v1/sessions/" + id + "/executions", key, "{\"code\":" + str(code) + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    @Test
    void globalsPersistAndSnapshotsRestoreAndFork() throws Exception {
        String id = open("python");
        exec(id, "x = 1");
        assertThat(exec(id, "print(x)").get("stdout").asText()).isEqualTo("1\n");
        HttpResponse<String> snap = kit.post("/v1/sessions/" + id + "/snapshots", key, null);
        assertThat(snap.statusCode()).isEqualTo(201);
        String snapId = json(snap).get("id").asText();
        exec(id, "x = 2");
        HttpResponse<String> fork = kit.post("/v1/sessions/" + id + "/fork", key, null);
        assertThat(fork.statusCode()).isEqualTo(201);
        String forkId = json(fork).get("id").asText();
        assertThat(forkId).isNotEqualTo(id);
        HttpResponse<String> restored =
                kit.post(
                        "/v1/sessions/" + id + "/restore",
                        key,
                        "{\"snapshotId\":" + str(snapId) + "}");
        assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
        assertThat(exec(id, "print(x)").get("stdout").asText()).isEqualTo("1\n");
        assertThat(exec(forkId, "print(x)").get("stdout").asText()).isEqualTo("2\n");
        JsonNode run = exec(id, "print('r')");
        assertThat(run.get("sessionId").asText()).isEqualTo(id);
        JsonNode stored = json(kit.get("/v1/runs/" + run.get("runId").asText(), key));
        assertThat(stored.get("sessionId").asText()).isEqualTo(id);
        assertThat(kit.send("DELETE", "/v1/sessions/" + id, key, null).statusCode()).isEqualTo(204);
        assertThat(kit.get("/v1/sessions/" + id, key).statusCode()).isEqualTo(404);
        assertThat(
                        kit.post("/v1/sessions/" + id + "/executions", key, "{\"code\":\"1\"}")
                                .statusCode())
                .isEqualTo(404);
        kit.send("DELETE", "/v1/sessions/" + forkId, key, null);
    }

    @Test
    void restoreOfAnUnknownSnapshotIs404() throws Exception {
        String id = open("javascript");
        HttpResponse<String> r =
                kit.post("/v1/sessions/" + id + "/restore", key, "{\"snapshotId\":\"nope\"}");
        assertThat(r.statusCode()).isEqualTo(404);
        kit.send("DELETE", "/v1/sessions/" + id, key, null);
    }

    @Test
    void filesGoInAndComeOut() throws Exception {
        String id = open("python");
        HttpRequest put =
                HttpRequest.newBuilder(kit.uri("/v1/sessions/" + id + "/files/data/in.bin"))
                        .header("Authorization", "Bearer " + key)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3, 0}))
                        .build();
        assertThat(kit.http.send(put, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(204);
        exec(
                id,
                "d = open('/workspace/data/in.bin','rb').read()\n"
                        + "open('/workspace/out.txt','w').write(str(sum(d)))");
        JsonNode list = json(kit.get("/v1/sessions/" + id + "/files", key));
        assertThat(list.get("files").toString())
                .contains("/workspace/data/in.bin", "/workspace/out.txt");
        HttpResponse<byte[]> got =
                kit.http.send(
                        HttpRequest.newBuilder(kit.uri("/v1/sessions/" + id + "/files/out.txt"))
                                .header("Authorization", "Bearer " + key)
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(new String(got.body())).isEqualTo("6");
        assertThat(kit.get("/v1/sessions/" + id + "/files/missing.txt", key).statusCode())
                .isEqualTo(404);
        HttpRequest escape =
                HttpRequest.newBuilder(
                                kit.uri("/v1/sessions/" + id + "/files/a/%2E%2E/%2E%2E/etc/passwd"))
                        .header("Authorization", "Bearer " + key)
                        .PUT(HttpRequest.BodyPublishers.ofString("x"))
                        .build();
        assertThat(kit.http.send(escape, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isIn(400, 404);
        kit.send("DELETE", "/v1/sessions/" + id, key, null);
    }

    @Test
    void aLimitedRunResetsTheSessionButKeepsFiles() throws Exception {
        String id = open("python", ",\"limits\":{\"timeoutMs\":500}");
        exec(id, "y = 5\nopen('/workspace/keep.txt','w').write('k')");
        HttpResponse<String> r =
                kit.post(
                        "/v1/sessions/" + id + "/executions",
                        key,
                        "{\"code\":\"while True: pass\"}");
        JsonNode j = json(r);
        assertThat(j.get("status").asText()).isEqualTo("limit");
        assertThat(j.get("sessionReset").asBoolean()).isTrue();
        assertThat(
                        exec(id, "print('y' in globals(), open('/workspace/keep.txt').read())")
                                .get("stdout")
                                .asText())
                .isEqualTo("False k\n");
        kit.send("DELETE", "/v1/sessions/" + id, key, null);
    }

    @Test
    void interruptStopsARunningCall() throws Exception {
        String id = open("javascript");
        java.util.concurrent.CompletableFuture<JsonNode> running =
                java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return exec(id, "for(;;){}");
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        JsonNode result = null;
        while (result == null) {
            assertThat(kit.post("/v1/sessions/" + id + "/interrupt", key, null).statusCode())
                    .isEqualTo(204);
            try {
                result = running.get(50, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                // the call has not started yet, or the interrupt came before it: again
            }
        }
        assertThat(result.get("status").asText()).isEqualTo("limit");
        assertThat(result.get("kind").asText()).isEqualTo("interrupted");
        assertThat(result.get("sessionReset").asBoolean()).isTrue();
        assertThat(exec(id, "console.log('alive')").get("stdout").asText()).isEqualTo("alive\n");
        kit.send("DELETE", "/v1/sessions/" + id, key, null);
    }

    @Test
    void idleSessionsExpire() throws Exception {
        String id = open("javascript");
        assertThat(kit.get("/v1/sessions/" + id, key).statusCode()).isEqualTo(200);
        ticker.advance(Duration.ofMinutes(4));
        assertThat(kit.server.service().expireIdleSessions()).isZero();
        exec(id, "var a = 1");
        ticker.advance(Duration.ofMinutes(4));
        kit.server.service().expireIdleSessions();
        assertThat(kit.get("/v1/sessions/" + id, key).statusCode()).isEqualTo(200);
        ticker.advance(Duration.ofMinutes(2));
        assertThat(kit.server.service().expireIdleSessions()).isEqualTo(1);
        assertThat(kit.get("/v1/sessions/" + id, key).statusCode()).isEqualTo(404);
    }
}
