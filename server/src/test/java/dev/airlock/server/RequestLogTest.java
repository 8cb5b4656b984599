package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.core.time.Ticker;
import dev.airlock.server.http.Json;
import dev.airlock.server.observe.ServerLog;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code airlock serve}'s observability: the request log as text and as JSON lines, request ids,
 * W3C trace context, the server's own warnings in the same log, and the metrics' help texts.
 */
class RequestLogTest {
    static final Instant NOW = Instant.parse("2026-03-04T05:06:07.089Z");
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String PARENT = "00-" + TRACE + "-00f067aa0ba902b7-01";

    /** Every reading of the ticker is 5 ms after the one before. */
    static final long STEP_MS = 5;

    static final LogLines textOut = new LogLines();
    static final LogLines jsonOut = new LogLines();
    static ServerKit text;
    static ServerKit jsonKit;
    static String textKey;
    static String jsonKey;

    @BeforeAll
    static void start() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        text = ServerKit.start(b -> b.ticker(stepping()), log("text", textOut, clock));
        jsonKit = ServerKit.start(b -> b.ticker(stepping()), log("json", jsonOut, clock));
        textKey = text.key("acme");
        jsonKey = jsonKit.key("globex");
    }

    static Ticker stepping() {
        AtomicLong t = new AtomicLong();
        return () -> t.addAndGet(STEP_MS * 1_000_000);
    }

    static ServerLog log(String format, LogLines out, Clock clock) {
        return ServerLog.builder().format(format).output(out).clock(clock).build();
    }

    @AfterAll
    static void stop() throws Exception {
        text.close();
        jsonKit.close();
    }

    static HttpResponse<String> send(
            ServerKit kit, String method, String path, String key, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(kit.uri(path)).timeout(Duration.ofSeconds(120));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return kit.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void textLinesNameTheRequestItsTenantAndItsRun() throws Exception {
        HttpResponse<String> r =
                send(
                        text,
                        "POST",
                        "/v1/executions?token=hush",
                        textKey,
                        "{\"language\":\"javascript\",\"code\":\"console.log(6*7)\"}",
                        "X-Request-Id",
                        "req-text-1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Request-Id")).hasValue("req-text-1");
        String runId = json(r).get("runId").asText();
        JsonNode run = json(send(text, "GET", "/v1/runs/" + runId, textKey, null));
        assertThat(run.get("requestId").asText()).isEqualTo("req-text-1");
        assertThat(run.get("traceId").asText()).matches("[0-9a-f]{32}");

        String line = textOut.await(l -> l.contains("request_id=req-text-1"));
        assertThat(line)
                .startsWith("2026-03-04T05:06:07.089Z INFO request method=POST")
                .contains(" path=/v1/executions ")
                .contains(" status=200 ")
                .contains(" tenant=acme ")
                .contains(" run_id=" + runId + " ")
                .doesNotContain("hush")
                .doesNotContain(textKey)
                .doesNotContain("console.log");
        long ms = Long.parseLong(line.replaceAll(".* duration_ms=(\\d+) .*", "$1"));
        assertThat(ms).isPositive();
        assertThat(ms % STEP_MS).isZero();
        assertThat(textOut.text()).doesNotContain(textKey).doesNotContain("Bearer");
    }

    @Test
    void jsonLinesParseAndCarryTheTrace() throws Exception {
        HttpResponse<String> r =
                send(
                        jsonKit,
                        "POST",
                        "/v1/executions",
                        jsonKey,
                        "{\"language\":\"javascript\",\"code\":\"1\"}",
                        "X-Request-Id",
                        "req-json-1",
                        "traceparent",
                        PARENT);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String answered = r.headers().firstValue("traceparent").orElseThrow();
        assertThat(answered).matches("00-" + TRACE + "-[0-9a-f]{16}-01");
        String span = answered.substring(36, 52);
        assertThat(span).isNotEqualTo("00f067aa0ba902b7");

        JsonNode line = Json.MAPPER.readTree(jsonOut.await(l -> l.contains("\"req-json-1\"")));
        assertThat(line.get("time").asText()).isEqualTo("2026-03-04T05:06:07.089Z");
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("event").asText()).isEqualTo("request");
        assertThat(line.get("method").asText()).isEqualTo("POST");
        assertThat(line.get("path").asText()).isEqualTo("/v1/executions");
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("duration_ms").isIntegralNumber()).isTrue();
        assertThat(line.get("duration_ms").asLong() % STEP_MS).isZero();
        assertThat(line.get("tenant").asText()).isEqualTo("globex");
        assertThat(line.get("run_id").asText()).isEqualTo(json(r).get("runId").asText());
        assertThat(line.get("trace_id").asText()).isEqualTo(TRACE);
        assertThat(line.get("span_id").asText()).isEqualTo(span);
        assertThat(jsonOut.text()).doesNotContain(jsonKey);

        // the run is recorded with the request and the trace that made it
        JsonNode run =
                json(
                        send(
                                jsonKit,
                                "GET",
                                "/v1/runs/" + line.get("run_id").asText(),
                                jsonKey,
                                null));
        assertThat(run.get("requestId").asText()).isEqualTo("req-json-1");
        assertThat(run.get("traceId").asText()).isEqualTo(TRACE);
    }

    @Test
    void malformedTraceparentsStartANewTrace() throws Exception {
        for (String bad :
                new String[] {
                    "00-" + TRACE.toUpperCase() + "-00f067aa0ba902b7-01",
                    "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                    "00-" + TRACE + "-0000000000000000-01",
                    "ff-" + TRACE + "-00f067aa0ba902b7-01",
                    "00-" + TRACE + "-00f067aa0ba902b7-01-extra",
                    "garbage"
                }) {
            HttpResponse<String> r =
                    send(jsonKit, "GET", "/healthz", null, null, "traceparent", bad);
            String answered = r.headers().firstValue("traceparent").orElseThrow();
            assertThat(answered).as(bad).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
            assertThat(answered).as(bad).doesNotContain(TRACE);
            String id = r.headers().firstValue("X-Request-Id").orElseThrow();
            JsonNode line = Json.MAPPER.readTree(jsonOut.await(l -> l.contains(id)));
            assertThat(line.get("trace_id").asText()).isEqualTo(answered.substring(3, 35));
        }
    }

    @Test
    void badRequestIdsAreReplacedAndErrorsQuoteTheId() throws Exception {
        String tooLong = "x".repeat(129);
        for (String bad : new String[] {"has space", "semi;colon", tooLong, "ünï"}) {
            HttpResponse<String> r =
                    send(text, "GET", "/v1/sessions/nope", textKey, null, "X-Request-Id", bad);
            assertThat(r.statusCode()).isEqualTo(404);
            String id = r.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(id).as(bad).isNotEqualTo(bad).matches("[0-9a-f-]{36}");
            JsonNode problem = json(r);
            assertThat(problem.get("requestId").asText()).isEqualTo(id);
            String line = textOut.await(l -> l.contains("request_id=" + id));
            assertThat(line).contains(" status=404 ").contains(" tenant=acme ");
        }
        // a well-formed one is kept, in the header and in the problem
        HttpResponse<String> r =
                send(text, "GET", "/v1/runs/nope", textKey, null, "X-Request-Id", "a.b:c_d-9");
        assertThat(r.headers().firstValue("X-Request-Id")).hasValue("a.b:c_d-9");
        assertThat(json(r).get("requestId").asText()).isEqualTo("a.b:c_d-9");
        textOut.await(l -> l.contains("request_id=a.b:c_d-9"));
    }

    @Test
    void unauthenticatedRequestsAreLoggedWithoutTheKey() throws Exception {
        HttpResponse<String> r = send(text, "GET", "/v1/sessions", "not-a-real-key-123456", null);
        assertThat(r.statusCode()).isEqualTo(401);
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(json(r).get("requestId").asText()).isEqualTo(id);
        String line = textOut.await(l -> l.contains("request_id=" + id));
        assertThat(line).contains(" status=401 ").doesNotContain("tenant=");
        assertThat(textOut.text()).doesNotContain("not-a-real-key-123456");
    }

    @Test
    void serverWarningsGoToTheSameLogWithoutClassNames() throws Exception {
        System.getLogger("airlock.server")
                .log(
                        System.Logger.Level.WARNING,
                        "idle-session sweep failed",
                        new IllegalStateException("java.io.IOException: disk full"));
        JsonNode line = Json.MAPPER.readTree(jsonOut.await(l -> l.contains("sweep failed")));
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("event").asText()).isEqualTo("server");
        assertThat(line.get("message").asText()).isEqualTo("idle-session sweep failed");
        assertThat(line.get("error").asText()).isEqualTo("disk full");
        String t = textOut.await(l -> l.contains("sweep failed"));
        assertThat(t)
                .startsWith("2026-03-04T05:06:07.089Z WARN server")
                .contains("message=\"idle-session sweep failed\"")
                .contains("error=\"disk full\"")
                .doesNotContain("Exception")
                .doesNotContain("java.");
    }

    @Test
    void metricsHaveHelpTextsAndHttpRequestTimers() throws Exception {
        send(text, "GET", "/v1/sessions", textKey, null);
        HttpResponse<String> m = send(text, "GET", "/metrics", null, null);
        assertThat(m.statusCode()).isEqualTo(200);
        String body = m.body();
        for (String name :
                new String[] {
                    "airlock_sessions_open",
                    "airlock_executions_queued",
                    "airlock_executions_active",
                    "airlock_memory_reserved_bytes",
                    "airlock_http_server_requests_seconds"
                }) {
            assertThat(body).containsPattern("(?m)^# HELP " + name + " \\S.{10,}$");
        }
        assertThat(body)
                .contains(
                        "airlock_http_server_requests_seconds_count{method=\"GET\",route=\"/v1/sessions\",status=\"2xx\"}");
        send(
                text,
                "POST",
                "/v1/executions",
                textKey,
                "{\"language\":\"javascript\",\"code\":\"1\"}");
        assertThat(send(text, "GET", "/metrics", null, null).body())
                .containsPattern("(?m)^# HELP airlock_executions_seconds \\S.{10,}$");
    }
}
