package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.wabt.Wat2Wasm;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OpenTelemetry traces of {@code airlock serve} (off by default): a server span per request in the
 * caller's trace, an {@code airlock.run} span per run under it, a span per batch of host calls
 * under that, and MCP tool calls as spans of their own whose results name their request and trace.
 */
class TracingTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String PARENT_SPAN = "00f067aa0ba902b7";

    /** Three writes, one call to another function, one more write. */
    static final String WRITES =
            "(module (import \"wasi_snapshot_preview1\" \"fd_write\""
                    + " (func $w (param i32 i32 i32 i32) (result i32)))"
                    + " (import \"wasi_snapshot_preview1\" \"args_sizes_get\""
                    + " (func $s (param i32 i32) (result i32)))"
                    + " (memory (export \"memory\") 1)"
                    + " (data (i32.const 16) \"ab\\n\")"
                    + " (func $p (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1)"
                    + " (i32.const 8))))"
                    + " (func (export \"_start\")"
                    + "  (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 3))"
                    + "  (call $p) (call $p) (call $p)"
                    + "  (drop (call $s (i32.const 32) (i32.const 36)))"
                    + "  (call $p)))";

    static final InMemorySpanExporter spans = InMemorySpanExporter.create();
    static ServerKit kit;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        kit = ServerKit.start(b -> b.traceExporter(spans));
        key = kit.key("acme");
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
    }

    @BeforeEach
    void forget() {
        kit.server.flushTraces();
        spans.reset();
    }

    static String module() {
        return Base64.getEncoder().encodeToString(Wat2Wasm.parse(WRITES));
    }

    static HttpResponse<String> execute(String traceparent) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(kit.uri("/v1/executions"))
                        .timeout(Duration.ofSeconds(120))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json");
        if (traceparent != null) {
            b.header("traceparent", traceparent);
        }
        String body = "{\"language\":\"wasm\",\"module\":\"" + module() + "\"}";
        return kit.http.send(
                b.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The exported spans once one matches {@code until} (a request span ends after its answer). */
    static List<SpanData> exported(Predicate<SpanData> until) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            kit.server.flushTraces();
            List<SpanData> all = spans.getFinishedSpanItems();
            if (all.stream().anyMatch(until) || System.nanoTime() > deadline) {
                return all;
            }
            Thread.sleep(20);
        }
    }

    static SpanData named(List<SpanData> all, String name) {
        return all.stream()
                .filter(s -> s.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + all));
    }

    static String attr(SpanData s, String key) {
        return s.getAttributes().get(AttributeKey.stringKey(key));
    }

    static Long number(SpanData s, String key) {
        return s.getAttributes().get(AttributeKey.longKey(key));
    }

    @Test
    void aRunIsTracedUnderItsRequestInTheCallersTrace() throws Exception {
        HttpResponse<String> r = execute("00-" + TRACE + "-" + PARENT_SPAN + "-01");
        assertThat(r.statusCode()).isEqualTo(200);
        String runId = json(r).get("runId").asText();
        List<SpanData> all = exported(s -> s.getName().equals("POST /v1/executions"));

        SpanData request = named(all, "POST /v1/executions");
        assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(request.getTraceId()).isEqualTo(TRACE);
        assertThat(request.getParentSpanId()).isEqualTo(PARENT_SPAN);
        assertThat(number(request, "http.response.status_code")).isEqualTo(200L);
        assertThat(attr(request, "http.route")).isEqualTo("/v1/executions");
        assertThat(attr(request, "airlock.tenant")).isEqualTo("acme");
        assertThat(attr(request, "airlock.run.id")).isEqualTo(runId);
        // the traceparent answered is the exported span's
        assertThat(r.headers().firstValue("traceparent"))
                .hasValue("00-" + TRACE + "-" + request.getSpanId() + "-01");

        SpanData run = named(all, "airlock.run");
        assertThat(run.getTraceId()).isEqualTo(TRACE);
        assertThat(run.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(attr(run, "airlock.run.id")).isEqualTo(runId);
        assertThat(attr(run, "airlock.outcome.status")).isEqualTo("ok");
        assertThat(number(run, "airlock.host_calls")).isEqualTo(5L);

        List<SpanData> batches =
                all.stream()
                        .filter(s -> s.getName().startsWith("airlock.host_calls "))
                        .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos))
                        .toList();
        assertThat(batches)
                .allSatisfy(b -> assertThat(b.getParentSpanId()).isEqualTo(run.getSpanId()));
        assertThat(batches)
                .extracting(b -> attr(b, "airlock.host_call.name"))
                .containsExactly(
                        "wasi_snapshot_preview1.fd_write",
                        "wasi_snapshot_preview1.args_sizes_get",
                        "wasi_snapshot_preview1.fd_write");
        assertThat(batches)
                .extracting(b -> number(b, "airlock.host_call.count"))
                .containsExactly(3L, 1L, 1L);
        // the run's span lies within its request's, and its batches within it
        assertThat(run.getStartEpochNanos()).isGreaterThanOrEqualTo(request.getStartEpochNanos());
        assertThat(run.getEndEpochNanos()).isLessThanOrEqualTo(request.getEndEpochNanos());
        assertThat(batches)
                .allSatisfy(
                        b -> {
                            assertThat(b.getStartEpochNanos())
                                    .isGreaterThanOrEqualTo(
                                            run.getStartEpochNanos() / 1_000_000 * 1_000_000);
                            assertThat(b.getEndEpochNanos())
                                    .isGreaterThanOrEqualTo(b.getStartEpochNanos());
                        });

        // the stored run names the same trace
        JsonNode stored = json(kit.get("/v1/runs/" + runId, key));
        assertThat(stored.get("traceId").asText()).isEqualTo(TRACE);
    }

    @Test
    void aRequestWithoutTraceparentStartsASampledTrace() throws Exception {
        HttpResponse<String> r = execute(null);
        String header = r.headers().firstValue("traceparent").orElseThrow();
        List<SpanData> all = exported(s -> s.getName().equals("POST /v1/executions"));
        SpanData request = named(all, "POST /v1/executions");
        assertThat(request.getParentSpanContext().isValid()).isFalse();
        // sampled, and (W3C level 2) marked as a random trace id
        assertThat(request.getSpanContext().isSampled()).isTrue();
        assertThat(header)
                .isEqualTo(
                        "00-"
                                + request.getTraceId()
                                + "-"
                                + request.getSpanId()
                                + "-"
                                + request.getSpanContext().getTraceFlags().asHex());
        assertThat(named(all, "airlock.run").getTraceId()).isEqualTo(request.getTraceId());
    }

    @Test
    void aCallerThatDoesNotSampleGetsNoSpansButKeepsItsTrace() throws Exception {
        HttpResponse<String> r = execute("00-" + TRACE + "-" + PARENT_SPAN + "-00");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("traceparent").orElseThrow())
                .startsWith("00-" + TRACE + "-")
                .endsWith("-00");
        // a later sampled request's span is exported: the unsampled one's never was
        execute(null);
        List<SpanData> all = exported(s -> s.getName().equals("POST /v1/executions"));
        assertThat(all).noneMatch(s -> s.getTraceId().equals(TRACE));
    }

    @Test
    void mcpToolCallsAreSpansAndTheirResultsNameTheirRequestAndTrace() throws Exception {
        try (McpSyncClient c = McpHttpTest.client(kit, key)) {
            McpSchema.CallToolResult r =
                    c.callTool(
                            new McpSchema.CallToolRequest(
                                    "run_wasm", Map.of("module", module()), null));
            assertThat(r.isError()).isFalse();
            String runId = (String) McpHttpTest.structured(r).get("runId");
            String requestId = (String) r.meta().get("dev.airlock/requestId");
            String traceparent = (String) r.meta().get("dev.airlock/traceparent");
            assertThat(requestId).isNotBlank();

            List<SpanData> all = exported(s -> s.getName().equals("POST /mcp") && hasRun(s));
            SpanData call = named(all, "tools/call run_wasm");
            SpanData run = named(all, "airlock.run");
            assertThat(traceparent)
                    .isEqualTo(
                            "00-"
                                    + call.getTraceId()
                                    + "-"
                                    + call.getSpanId()
                                    + "-"
                                    + call.getSpanContext().getTraceFlags().asHex());
            assertThat(run.getParentSpanId()).isEqualTo(call.getSpanId());
            assertThat(attr(run, "airlock.run.id")).isEqualTo(runId);
            SpanData http =
                    all.stream()
                            .filter(s -> s.getSpanId().equals(call.getParentSpanId()))
                            .findFirst()
                            .orElseThrow();
            assertThat(http.getName()).isEqualTo("POST /mcp");
            assertThat(http.getKind()).isEqualTo(SpanKind.SERVER);

            // the run is recorded with the MCP request's id and trace
            JsonNode stored = json(kit.get("/v1/runs/" + runId, key));
            assertThat(stored.get("requestId").asText()).isEqualTo(requestId);
            assertThat(stored.get("traceId").asText()).isEqualTo(call.getTraceId());
        }
    }

    static boolean hasRun(SpanData s) {
        return s.getName().equals("POST /mcp")
                && spans.getFinishedSpanItems().stream()
                        .anyMatch(x -> x.getName().equals("tools/call run_wasm"));
    }

    @Test
    void aTraceparentInTheToolCallsMetaContinuesThatTrace() throws Exception {
        try (McpSyncClient c = McpHttpTest.client(kit, key)) {
            McpSchema.CallToolResult r =
                    c.callTool(
                            new McpSchema.CallToolRequest(
                                    "run_wasm",
                                    Map.of("module", module()),
                                    Map.of(
                                            "traceparent",
                                            "00-" + TRACE + "-" + PARENT_SPAN + "-01")));
            assertThat((String) r.meta().get("dev.airlock/traceparent"))
                    .startsWith("00-" + TRACE + "-");
            List<SpanData> all = exported(s -> s.getName().equals("tools/call run_wasm"));
            SpanData call = named(all, "tools/call run_wasm");
            assertThat(call.getTraceId()).isEqualTo(TRACE);
            assertThat(call.getParentSpanId()).isEqualTo(PARENT_SPAN);
            String runId = (String) McpHttpTest.structured(r).get("runId");
            assertThat(json(kit.get("/v1/runs/" + runId, key)).get("traceId").asText())
                    .isEqualTo(TRACE);
        }
    }

    @Test
    void anOtlpEndpointMustBeAPlainHttpAddress() {
        for (String bad :
                List.of(
                        "ftp://collector:4318",
                        "collector:4318",
                        "http://user:pw@collector:4318",
                        "http://collector:4318/?x=1",
                        "http://collector:4318/#f",
                        "/v1/traces")) {
            assertThatThrownBy(() -> ServerConfig.builder().otlpEndpoint(URI.create(bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("OTLP endpoint");
        }
        assertThat(
                        ServerConfig.builder()
                                .otlpEndpoint(URI.create("http://127.0.0.1:4318/"))
                                .build()
                                .traceTarget())
                .isEqualTo("http://127.0.0.1:4318/v1/traces");
        assertThat(ServerConfig.defaults().traceTarget()).isNull();
    }
}
