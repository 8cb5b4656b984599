package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.server.http.Json;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MCP tools over streamable HTTP at /mcp, through the SDK's own client. */
class McpHttpTest {
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

    static McpSyncClient client(String key) {
        return client(kit, key);
    }

    /** An initialized SDK client of {@code kit}'s /mcp with {@code key}. */
    static McpSyncClient client(ServerKit kit, String key) {
        HttpClientStreamableHttpTransport t =
                HttpClientStreamableHttpTransport.builder(kit.server.uri().toString())
                        .endpoint("/mcp")
                        .jsonMapper(new JacksonMcpJsonMapper(Json.MAPPER))
                        .requestBuilder(
                                HttpRequest.newBuilder().header("Authorization", "Bearer " + key))
                        .build();
        McpSyncClient c = McpClient.sync(t).requestTimeout(Duration.ofSeconds(120)).build();
        c.initialize();
        return c;
    }

    static McpSchema.CallToolResult call(McpSyncClient c, String tool, Map<String, Object> args) {
        return c.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> structured(McpSchema.CallToolResult r) {
        return (Map<String, Object>) r.structuredContent();
    }

    @Test
    void listsTheToolsWithSchemas() {
        try (McpSyncClient c = client(alice)) {
            var tools = c.listTools().tools();
            assertThat(tools)
                    .extracting(McpSchema.Tool::name)
                    .contains(
                            "run_python",
                            "run_javascript",
                            "run_wasm",
                            "create_session",
                            "run_in_session",
                            "snapshot_session",
                            "restore_session",
                            "fork_session",
                            "close_session");
            assertThat(tools)
                    .allSatisfy(
                            t -> {
                                assertThat(t.description()).isNotBlank();
                                assertThat(t.inputSchema())
                                        .containsEntry("type", "object")
                                        .containsKey("properties");
                            });
        }
    }

    @Test
    void runsPythonJavascriptAndWasm() {
        try (McpSyncClient c = client(alice)) {
            McpSchema.CallToolResult py = call(c, "run_python", Map.of("code", "print(6*7)"));
            assertThat(py.isError()).isFalse();
            assertThat(structured(py))
                    .containsEntry("stdout", "42\n")
                    .containsEntry("status", "ok");
            assertThat(((McpSchema.TextContent) py.content().get(0)).text()).contains("42");
            McpSchema.CallToolResult js =
                    call(c, "run_javascript", Map.of("code", "console.log('js')"));
            assertThat(structured(js)).containsEntry("stdout", "js\n");
            String wat =
                    "(module (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $e (param i32)))"
                            + " (memory (export \"memory\") 1)"
                            + " (func (export \"_start\") (call $e (i32.const 3))))";
            McpSchema.CallToolResult wasm =
                    call(
                            c,
                            "run_wasm",
                            Map.of(
                                    "module",
                                    Base64.getEncoder().encodeToString(Wat2Wasm.parse(wat)),
                                    "fuel",
                                    10_000));
            assertThat(structured(wasm))
                    .containsEntry("status", "exit")
                    .containsEntry("exitCode", 3);
            assertThat(wasm.isError()).isTrue();
            McpSchema.CallToolResult fails =
                    call(c, "run_python", Map.of("code", "raise ValueError('no')"));
            assertThat(fails.isError()).isTrue();
            assertThat(structured(fails).get("stderr").toString()).contains("ValueError: no");
        }
    }

    @Test
    void sessionRoundTripAndRefusals() {
        try (McpSyncClient c = client(alice);
                McpSyncClient other = client(bob)) {
            String id =
                    structured(call(c, "create_session", Map.of("language", "python")))
                            .get("sessionId")
                            .toString();
            call(c, "run_in_session", Map.of("sessionId", id, "code", "x = 1"));
            String snap =
                    structured(call(c, "snapshot_session", Map.of("sessionId", id)))
                            .get("snapshotId")
                            .toString();
            call(c, "run_in_session", Map.of("sessionId", id, "code", "x = 2"));
            call(c, "restore_session", Map.of("sessionId", id, "snapshotId", snap));
            assertThat(
                            structured(
                                    call(
                                            c,
                                            "run_in_session",
                                            Map.of("sessionId", id, "code", "print(x)"))))
                    .containsEntry("stdout", "1\n");
            // another tenant cannot use it: refused as unknown
            McpSchema.CallToolResult theirs =
                    call(other, "run_in_session", Map.of("sessionId", id, "code", "print(x)"));
            assertThat(theirs.isError()).isTrue();
            assertThat(((McpSchema.TextContent) theirs.content().get(0)).text())
                    .contains("no session");
            assertThat(call(c, "close_session", Map.of("sessionId", id)).isError()).isFalse();
            McpSchema.CallToolResult gone =
                    call(c, "run_in_session", Map.of("sessionId", id, "code", "1"));
            assertThat(gone.isError()).isTrue();
            McpSchema.CallToolResult bad = call(c, "run_python", Map.of("cod", "1"));
            assertThat(bad.isError()).isTrue();
            assertThat(((McpSchema.TextContent) bad.content().get(0)).text()).contains("'cod'");
        }
    }

    @Test
    void withoutAKeyIs401() throws Exception {
        HttpResponse<String> r =
                kit.http.send(
                        HttpRequest.newBuilder(kit.uri("/mcp"))
                                .header("Content-Type", "application/json")
                                .header("Accept", "application/json, text/event-stream")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/problem+json");
        HttpResponse<String> wrong =
                kit.http.send(
                        HttpRequest.newBuilder(kit.uri("/mcp"))
                                .header("Authorization", "Bearer nope")
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
    }
}
