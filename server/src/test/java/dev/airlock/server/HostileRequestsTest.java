package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests a hostile client writes to reach the web server's own error pages: every answer is still
 * a problem document, never HTML or a Java name.
 */
class HostileRequestsTest {
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

    /** Sends a raw path (already percent-encoded as the client wants it). */
    private static HttpResponse<String> raw(String method, String path) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(kit.uri(path))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + key);
        b.method(method, HttpRequest.BodyPublishers.ofString("x"));
        // a client of its own: Jetty closes the connection after refusing a malformed request,
        // and a pooled connection closed that way would fail the next request before it is sent
        // (Java 17's HttpClient cannot be closed: its threads end once it is unreachable)
        return java.net.http.HttpClient.newHttpClient()
                .send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode problem(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
                .as(r.body())
                .startsWith("application/problem+json");
        assertThat(r.body()).doesNotContain("<html", "<HTML", "Exception", "org.eclipse", "java.");
        JsonNode p = json(r);
        assertThat(p.get("status").asInt()).isEqualTo(r.statusCode());
        assertThat(p.get("type").asText()).startsWith("https://airlock.dev/problems/");
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
        return p;
    }

    @Test
    void nulInARunIdIsAProblem() throws Exception {
        problem(raw("GET", "/v1/runs/%00"));
        problem(raw("GET", "/v1/runs/a%00b/audit"));
    }

    @Test
    void aTenThousandCharacterIdIsAProblem() throws Exception {
        problem(raw("GET", "/v1/runs/" + "a".repeat(10_000)));
        problem(raw("GET", "/v1/sessions/" + "s".repeat(10_000)));
    }

    @Test
    void nulInAFilePathIsAProblem() throws Exception {
        String id =
                json(kit.post("/v1/sessions", key, "{\"language\":\"python\"}")).get("id").asText();
        try {
            problem(raw("PUT", "/v1/sessions/" + id + "/files/a%00b"));
            problem(raw("GET", "/v1/sessions/" + id + "/files/%00"));
            problem(raw("PUT", "/v1/sessions/" + id + "/files/a/%2e%2e/%2e%2e/etc"));
        } finally {
            kit.send("DELETE", "/v1/sessions/" + id, key, null);
        }
    }

    @Test
    void otherOddPathsAreProblems() throws Exception {
        problem(raw("GET", "/v1/runs/%ff%fe"));
        problem(raw("GET", "/%2e%2e/%2e%2e/etc/passwd"));
        problem(raw("GET", "/v1/runs/a%2fb"));
    }

    @Test
    void duplicateJsonKeysAreRefusedNamingTheKey() throws Exception {
        HttpResponse<String> r =
                kit.post(
                        "/v1/executions",
                        key,
                        "{\"language\":\"python\",\"code\":\"print(1)\",\"code\":\"print(2)\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(problem(r).get("detail").asText()).contains("'code'");
        HttpResponse<String> nested =
                kit.post(
                        "/v1/executions",
                        key,
                        "{\"language\":\"python\",\"code\":\"1\",\"env\":{\"A\":\"1\",\"A\":\"2\"}}");
        assertThat(nested.statusCode()).as(nested.body()).isEqualTo(400);
        assertThat(problem(nested).get("detail").asText()).contains("'A'");
    }

    @Test
    void wrongTypesAreNamedInJsonTermsWithoutJavaNames() throws Exception {
        String[] bodies = {
            "{\"language\":{\"a\":1},\"code\":\"1\"}",
            "{\"language\":\"python\",\"code\":[1]}",
            "{\"language\":\"python\",\"code\":\"1\",\"limits\":{\"timeoutMs\":\"x\"}}",
            "{\"language\":\"python\",\"code\":\"1\",\"limits\":{\"timeoutMs\":1.5}}",
            "{\"language\":\"python\",\"code\":\"1\",\"limits\":[]}",
            "{\"language\":\"python\",\"code\":\"1\",\"env\":{\"A\":{}}}",
            "{\"language\":\"python\",\"code\":\"1\",\"args\":\"x\"}",
            "{\"language\":\"python\",\"code\":\"1\",\"files\":{\"a\":7}}",
            "{\"language\":\"python\",\"code\":\"1\",\"limits\":{\"timeoutMs\":99999999999999999999999}}",
            "[\"python\"]",
            "42",
        };
        for (String body : bodies) {
            HttpResponse<String> r = kit.post("/v1/executions", key, body);
            assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
            assertThat(problem(r).get("detail").asText())
                    .as(body)
                    .doesNotContain("java", "`", "JsonToken", "dev.airlock", "jackson", "$");
        }
    }

    @Test
    void headersTooLargeIsAProblem() throws Exception {
        HttpResponse<String> r =
                kit.http.send(
                        HttpRequest.newBuilder(kit.uri("/v1/sessions"))
                                .header("Authorization", "Bearer " + key)
                                .header("X-Padding", "p".repeat(64 * 1024))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(431);
        problem(r);
    }

    @Test
    void traceAndOddMethodsAreProblemsWithoutEcho() throws Exception {
        for (String path : new String[] {"/mcp", "/v1/executions", "/healthz"}) {
            for (String method : new String[] {"TRACE", "PATCH", "BREW"}) {
                HttpResponse<String> r =
                        kit.http.send(
                                HttpRequest.newBuilder(kit.uri(path))
                                        .header("Authorization", "Bearer " + key)
                                        .method(method, HttpRequest.BodyPublishers.noBody())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(method + " " + path).isBetween(400, 499);
                assertThat(r.body()).as(method + " " + path).doesNotContain(key, "<html");
                assertThat(r.headers().firstValue("Content-Type").orElse(""))
                        .as(method + " " + path + ": " + r.body())
                        .containsAnyOf("application/problem+json", "application/json");
            }
        }
    }
}
