package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.http.Console;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the web console stands on, over plain HTTP: its static files at {@code /} without a key and
 * with a strict policy, the API still behind the key, and the run list it shows.
 */
class ConsoleApiTest {
    static ServerKit kit;
    static String key;
    static String otherKey;

    @BeforeAll
    static void start() throws Exception {
        kit = ServerKit.start();
        key = kit.key("acme");
        otherKey = kit.key("globex");
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
    }

    @Test
    void theConsoleIsServedWithoutAKeyUnderAStrictPolicy() throws Exception {
        for (String path : List.of("/", "/index.html", "/app.js", "/api.js", "/style.css")) {
            HttpResponse<String> r = kit.get(path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy"))
                    .as(path)
                    .contains(Console.CONTENT_SECURITY_POLICY);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        }
        String csp = Console.CONTENT_SECURITY_POLICY;
        assertThat(csp).contains("default-src 'self'").contains("script-src 'self'");
        // WebAssembly compiles (runs in the browser), but no JavaScript eval
        assertThat(csp).doesNotContain("unsafe-inline").doesNotContain("'unsafe-eval'");
        assertThat(csp).contains("script-src 'self' 'wasm-unsafe-eval';");
        assertThat(kit.get("/web/airlock-web.js", null).statusCode()).isEqualTo(200);
        assertThat(kit.get("/web/vendor/browser_wasi_shim/LICENSE-MIT", null).statusCode())
                .isEqualTo(200);
        assertThat(kit.get("/", null).body()).contains("<script type=\"module\" src=\"app.js\">");
        assertThat(kit.get("/app.js", null).headers().firstValue("Content-Type").orElse(""))
                .contains("javascript");
    }

    @Test
    void theConsoleHasNoInlineScriptOrStyleAndNeverParsesHtml() throws Exception {
        String html = kit.get("/", null).body();
        assertThat(html).doesNotContain("<script>").doesNotContain("style=").doesNotContain(" on");
        for (String js :
                List.of(
                        "app.js",
                        "api.js",
                        "dom.js",
                        "run.js",
                        "runs.js",
                        "sessions.js",
                        "admin.js",
                        "chart.js")) {
            HttpResponse<String> r = kit.get("/" + js, null);
            assertThat(r.statusCode()).as(js).isEqualTo(200);
            assertThat(r.body())
                    .as(js)
                    .doesNotContain("innerHTML")
                    .doesNotContain("outerHTML")
                    .doesNotContain("insertAdjacentHTML")
                    .doesNotContain("document.write")
                    .doesNotContain("eval(")
                    .doesNotContain("localStorage.setItem(\"airlock.key");
        }
    }

    @Test
    void theApiStillNeedsTheKey() throws Exception {
        for (String path : List.of("/v1/runs", "/v1/sessions", "/v1/skills", "/v1/admin/tenants")) {
            HttpResponse<String> r = kit.get(path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("Content-Type").orElse(""))
                    .startsWith("application/problem+json");
        }
    }

    @Test
    void hostilePathsServeNothingOutsideTheConsole() throws Exception {
        for (String path :
                List.of(
                        "/%2e%2e/dev/airlock/server/http/openapi.json",
                        "/..%2fdev/airlock/server/http/openapi.json",
                        "/%2e%2e%2f%2e%2e%2fetc/passwd",
                        "/dev/airlock/server/http/openapi.json",
                        "/console/index.html",
                        "/no-such-file.js")) {
            HttpResponse<String> r = kit.get(path, null);
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            assertThat(r.body()).as(path).doesNotContain("\"openapi\"").doesNotContain("root:");
        }
    }

    @Test
    void runsAreListedNewestFirstForTheirTenantOnly() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode j =
                    json(
                            kit.post(
                                    "/v1/executions",
                                    key,
                                    "{\"language\":\"javascript\",\"code\":\"console.log("
                                            + i
                                            + ")\"}"));
            assertThat(j.get("status").asText()).isEqualTo("ok");
            ids.add(0, j.get("runId").asText());
        }
        JsonNode all = json(kit.get("/v1/runs", key)).get("runs");
        List<String> listed = new ArrayList<>();
        all.forEach(r -> listed.add(r.get("runId").asText()));
        assertThat(listed).startsWith(ids.toArray(String[]::new));
        assertThat(all.get(0).get("usage").get("wallMillis").isNumber()).isTrue();
        assertThat(all.get(0).get("denials").isArray()).isTrue();
        assertThat(all.get(0).get("language").asText()).isEqualTo("javascript");
        JsonNode two = json(kit.get("/v1/runs?limit=2", key)).get("runs");
        assertThat(two).hasSize(2);
        assertThat(two.get(0).get("runId").asText()).isEqualTo(ids.get(0));
        // another tenant sees none of them
        assertThat(json(kit.get("/v1/runs", otherKey)).get("runs")).isEmpty();
    }

    @Test
    void aBadLimitIsOneClearError() throws Exception {
        for (String bad : List.of("0", "201", "-1", "x", "", "1e3", "9999999999")) {
            HttpResponse<String> r = kit.get("/v1/runs?limit=" + bad, key);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(r).get("detail").asText())
                    .as(bad)
                    .startsWith("limit: expected")
                    .doesNotContain("Exception");
        }
    }
}
