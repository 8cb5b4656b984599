package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /openapi.json documents exactly the routes the server answers, and /metrics is Prometheus. */
class OpenApiTest {
    static ServerKit kit;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        kit = ServerKit.start();
        key = kit.key("acme");
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
    }

    /** Every documented operation reaches a route (a miss says "no such resource: METHOD"). */
    @Test
    void everyDocumentedOperationIsRouted() throws Exception {
        JsonNode doc = json(kit.get("/openapi.json", null));
        List<String> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            for (String method : List.of("get", "post", "put", "delete")) {
                if (p.getValue().has(method)) {
                    ops.add(method.toUpperCase() + " " + p.getKey());
                    String path =
                            p.getKey()
                                    .replace("{id}", "no-such-id")
                                    .replace("{path}", "a.txt")
                                    .replace("{name}", "t1")
                                    .replace("{keyId}", "no-such-key")
                                    .replace("{tool}", "run");
                    HttpResponse<String> r =
                            kit.send(
                                    method.toUpperCase(),
                                    path,
                                    key,
                                    method.equals("get") || method.equals("delete") ? null : "{}");
                    assertThat(r.body())
                            .as(method + " " + path)
                            .doesNotContain("no such resource:");
                    assertThat(r.statusCode()).as(method + " " + path).isNotIn(405, 500);
                }
            }
        }
        assertThat(ops).hasSize(32);
    }

    /** Every route the server answers is documented (a route the doc lacks fails this). */
    @Test
    void undocumentedPathsAreNotRouted() throws Exception {
        for (String path :
                List.of(
                        "/v1/run",
                        "/v1/sessions/x/snapshot",
                        "/v1/executions/x",
                        "/v2/executions")) {
            HttpResponse<String> r = kit.post(path, key, "{}");
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).contains("no such resource:");
        }
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        kit.post("/v1/executions", key, "{\"language\":\"javascript\",\"code\":\"1\"}");
        HttpResponse<String> m = kit.get("/metrics", null);
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.body())
                .contains("# TYPE airlock_executions_seconds")
                .contains("airlock_executions_seconds_count{language=\"javascript\",status=\"ok\"}")
                .contains("airlock_sessions_open")
                .contains("airlock_memory_reserved_bytes");
    }
}
