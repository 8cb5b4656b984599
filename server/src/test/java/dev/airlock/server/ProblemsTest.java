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

/** Every client error is an RFC 9457 problem with the right status, and nothing runs. */
class ProblemsTest {
    static ServerKit kit;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        kit =
                ServerKit.start(
                        b ->
                                b.maxBodyBytes(64 * 1024)
                                        .defaultLimits(
                                                dev.airlock.core.Limits.builder()
                                                        .timeout(Duration.ofSeconds(10))
                                                        .build()));
        key = kit.key("acme");
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
    }

    private static JsonNode problem(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/problem+json");
        JsonNode p = json(r);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("type").asText()).startsWith("https://airlock.dev/problems/");
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
        return p;
    }

    private static String detail(HttpResponse<String> r, int status) throws Exception {
        return problem(r, status).get("detail").asText();
    }

    @Test
    void malformedJson() throws Exception {
        assertThat(detail(kit.post("/v1/executions", key, "{\"language\": \"python\","), 400))
                .contains("malformed JSON");
        assertThat(detail(kit.post("/v1/executions", key, "[1,2]"), 400)).contains("wrong type");
        assertThat(detail(kit.post("/v1/executions", key, ""), 400)).contains("empty");
        assertThat(detail(kit.post("/v1/executions", key, "null"), 400)).contains("null");
        assertThat(
                        detail(
                                kit.post(
                                        "/v1/executions",
                                        key,
                                        "{\"language\":\"python\",\"code\":\"1\"} {}"),
                                400))
                .isNotBlank();
    }

    @Test
    void unknownFieldIsNamed() throws Exception {
        assertThat(
                        detail(
                                kit.post(
                                        "/v1/executions",
                                        key,
                                        "{\"language\":\"python\",\"code\":\"1\",\"cod\":2}"),
                                400))
                .contains("'cod'");
        assertThat(
                        detail(
                                kit.post(
                                        "/v1/executions",
                                        key,
                                        "{\"language\":\"python\",\"code\":\"1\",\"limits\":{\"timeout\":5}}"),
                                400))
                .contains("'timeout'");
    }

    @Test
    void wrongTypes() throws Exception {
        assertThat(
                        detail(
                                kit.post(
                                        "/v1/executions",
                                        key,
                                        "{\"language\":\"python\",\"code\":5}"),
                                400))
                .contains("code");
        assertThat(
                        detail(
                                kit.post(
                                        "/v1/executions",
                                        key,
                                        "{\"language\":\"python\",\"code\":\"1\",\"limits\":{\"timeoutMs\":\"5\"}}"),
                                400))
                .contains("timeoutMs");
        assertThat(
                        detail(
                                kit.post(
                                        "/v1/executions",
                                        key,
                                        "{\"language\":\"python\",\"code\":\"1\",\"files\":{\"a\":5}}"),
                                400))
                .contains("files");
        assertThat(
                        detail(
                                kit.post(
                                        "/v1/executions",
                                        key,
                                        "{\"language\":\"python\",\"code\":\"1\",\"env\":[\"A=1\"]}"),
                                400))
                .contains("env");
    }

    @Test
    void unknownLanguageAndMissingCode() throws Exception {
        assertThat(
                        detail(
                                kit.post(
                                        "/v1/executions",
                                        key,
                                        "{\"language\":\"cobol\",\"code\":\"1\"}"),
                                400))
                .contains("unknown language 'cobol'");
        assertThat(detail(kit.post("/v1/executions", key, "{\"code\":\"1\"}"), 400))
                .contains("language is required");
        assertThat(detail(kit.post("/v1/executions", key, "{\"language\":\"python\"}"), 400))
                .contains("needs 'code'");
        assertThat(detail(kit.post("/v1/sessions", key, "{\"language\":\"wasm\"}"), 400))
                .contains("unknown language 'wasm'");
    }

    @Test
    void badBase64() throws Exception {
        assertThat(
                        detail(
                                kit.post(
                                        "/v1/executions",
                                        key,
                                        "{\"language\":\"wasm\",\"module\":\"!!!\"}"),
                                400))
                .contains("base64");
        assertThat(
                        detail(
                                kit.post(
                                        "/v1/executions",
                                        key,
                                        "{\"language\":\"python\",\"code\":\"1\",\"files\":{\"a\":{\"base64\":\"%%\"}}}"),
                                400))
                .contains("base64");
    }

    @Test
    void pathsThatEscapeTheWorkspace() throws Exception {
        for (String path :
                new String[] {
                    "../etc/passwd",
                    "/etc/passwd",
                    "a/../../x",
                    "/workspace/../etc",
                    "a//b",
                    "./a",
                    ""
                }) {
            String body =
                    "{\"language\":\"python\",\"code\":\"1\",\"files\":{"
                            + ServerKit.str(path)
                            + ":\"x\"}}";
            assertThat(detail(kit.post("/v1/executions", key, body), 400))
                    .as(path)
                    .contains("path");
        }
    }

    @Test
    void limitsAboveTheCeilingOrNotPositive() throws Exception {
        assertThat(
                        detail(
                                kit.post(
                                        "/v1/executions",
                                        key,
                                        "{\"language\":\"python\",\"code\":\"1\",\"limits\":{\"timeoutMs\":3600000}}"),
                                400))
                .contains("ceiling");
        assertThat(
                        detail(
                                kit.post(
                                        "/v1/executions",
                                        key,
                                        "{\"language\":\"python\",\"code\":\"1\",\"limits\":{\"memoryBytes\":0}}"),
                                400))
                .contains("positive");
        assertThat(
                        detail(
                                kit.post(
                                        "/v1/executions",
                                        key,
                                        "{\"language\":\"python\",\"code\":\"1\",\"limits\":{\"fuel\":1000}}"),
                                400))
                .contains("only for wasm");
    }

    @Test
    void unauthorized() throws Exception {
        HttpResponse<String> none = kit.post("/v1/executions", null, "{}");
        problem(none, 401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
        problem(kit.post("/v1/executions", "ak_not-a-real-key", "{}"), 401);
        problem(kit.get("/v1/sessions", "Basic abc"), 401);
    }

    @Test
    void notFound() throws Exception {
        problem(kit.get("/v1/nothing-here", key), 404);
        problem(kit.get("/v1/runs/no-such-run", key), 404);
        problem(kit.get("/v1/sessions/no-such-session", key), 404);
        problem(kit.get("/nothing", null), 404);
    }

    @Test
    void bodyTooLarge() throws Exception {
        String code = "x".repeat(70 * 1024);
        problem(
                kit.post(
                        "/v1/executions",
                        key,
                        "{\"language\":\"python\",\"code\":\"" + code + "\"}"),
                413);
        // without a declared length (chunked), the limit holds while reading
        HttpRequest chunked =
                HttpRequest.newBuilder(kit.uri("/v1/executions"))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofInputStream(
                                        () ->
                                                new java.io.ByteArrayInputStream(
                                                        ("{\"language\":\"python\",\"code\":\""
                                                                        + code
                                                                        + "\"}")
                                                                .getBytes())))
                        .build();
        problem(kit.http.send(chunked, HttpResponse.BodyHandlers.ofString()), 413);
    }

    @Test
    void wrongMediaType() throws Exception {
        HttpRequest r =
                HttpRequest.newBuilder(kit.uri("/v1/executions"))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"language\":\"python\"}"))
                        .build();
        problem(kit.http.send(r, HttpResponse.BodyHandlers.ofString()), 415);
    }

    @Test
    void healthAndOpenApiNeedNoKey() throws Exception {
        assertThat(kit.get("/healthz", null).statusCode()).isEqualTo(200);
        HttpResponse<String> doc = kit.get("/openapi.json", null);
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(json(doc).get("openapi").asText()).startsWith("3.");
    }
}
