package dev.airlock.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.audit.store.Store;
import dev.airlock.cli.Main;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airlock mcp} in a child JVM, through the MCP SDK's own stdio client. */
class McpStdioTest {
    /** {@code airlock mcp --data DATA EXTRA...} in a child JVM. */
    static ServerParameters mcp(Path data, String... extra) {
        java.util.List<String> args =
                new java.util.ArrayList<>(
                        java.util.List.of(
                                "-Xss16m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                "dev.airlock.cli.Main",
                                "mcp",
                                "--data",
                                data.toString()));
        args.addAll(java.util.List.of(extra));
        return ServerParameters.builder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString())
                .args(args.toArray(new String[0]))
                .build();
    }

    @Test
    @SuppressWarnings("unchecked")
    void toolsWorkOverStdioAndRunsAreRecorded(@TempDir Path data) throws Exception {
        ServerParameters params = mcp(data);
        StdioClientTransport transport =
                new StdioClientTransport(params, new JacksonMcpJsonMapper(new ObjectMapper()));
        String runId;
        String requestId;
        try (McpSyncClient c =
                McpClient.sync(transport).requestTimeout(Duration.ofSeconds(120)).build()) {
            c.initialize();
            assertThat(c.listTools().tools())
                    .extracting(McpSchema.Tool::name)
                    .contains("run_python", "run_javascript", "run_wasm", "create_session");
            McpSchema.CallToolResult r =
                    c.callTool(
                            new McpSchema.CallToolRequest(
                                    "run_python", Map.of("code", "print(sum(range(10)))")));
            Map<String, Object> s = (Map<String, Object>) r.structuredContent();
            assertThat(s).containsEntry("stdout", "45\n").containsEntry("status", "ok");
            runId = s.get("runId").toString();
            // each call over stdio is a request of its own, in a trace of its own
            requestId = (String) r.meta().get("dev.airlock/requestId");
            assertThat(requestId).matches("mcp-[0-9a-f-]{36}");
            assertThat((String) r.meta().get("dev.airlock/traceparent"))
                    .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
            String id =
                    ((Map<String, Object>)
                                    c.callTool(
                                                    new McpSchema.CallToolRequest(
                                                            "create_session",
                                                            Map.of("language", "javascript")))
                                            .structuredContent())
                            .get("sessionId")
                            .toString();
            c.callTool(
                    new McpSchema.CallToolRequest(
                            "run_in_session", Map.of("sessionId", id, "code", "var n = 41")));
            Map<String, Object> again =
                    (Map<String, Object>)
                            c.callTool(
                                            new McpSchema.CallToolRequest(
                                                    "run_in_session",
                                                    Map.of(
                                                            "sessionId",
                                                            id,
                                                            "code",
                                                            "console.log(n + 1)")))
                                    .structuredContent();
            assertThat(again).containsEntry("stdout", "42\n");
        }
        transport.awaitForExit();
        try (Store store = Store.open(data)) {
            assertThat(store.run("local", runId)).isPresent();
            assertThat(store.run("local", runId).orElseThrow().origin().requestId())
                    .isEqualTo(requestId);
        }
    }

    @Test
    void toolCallsAndRunsAreTracedToTheOtlpEndpoint(@TempDir Path data) throws Exception {
        java.util.List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer collector =
                com.sun.net.httpserver.HttpServer.create(
                        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext(
                "/v1/traces",
                ex -> {
                    // protobuf keeps strings as they are: span names can be found in the bytes
                    got.add(
                            new String(
                                    ex.getRequestBody().readAllBytes(),
                                    java.nio.charset.StandardCharsets.ISO_8859_1));
                    ex.sendResponseHeaders(200, -1);
                    ex.close();
                });
        collector.start();
        try {
            ServerParameters params =
                    mcp(
                            data,
                            "--otlp-endpoint",
                            "http://127.0.0.1:" + collector.getAddress().getPort());
            StdioClientTransport transport =
                    new StdioClientTransport(params, new JacksonMcpJsonMapper(new ObjectMapper()));
            try (McpSyncClient c =
                    McpClient.sync(transport).requestTimeout(Duration.ofSeconds(120)).build()) {
                c.initialize();
                McpSchema.CallToolResult r =
                        c.callTool(
                                new McpSchema.CallToolRequest(
                                        "run_javascript", Map.of("code", "console.log(6 * 7)")));
                assertThat(r.isError()).as(r.toString()).isFalse();
            }
            // the server exports what is left when its input ends
            transport.awaitForExit();
        } finally {
            collector.stop(0);
        }
        assertThat(String.join("", got)).contains("tools/call run_javascript", "airlock.run");
    }

    @Test
    @SuppressWarnings("unchecked")
    void installedSkillsAreToolsOverStdio(@TempDir Path data, @TempDir Path tmp) throws Exception {
        String d = "--data=" + data;
        java.io.StringWriter err = new java.io.StringWriter();
        java.util.function.Function<String[], Integer> cli =
                args ->
                        Main.commandLine(
                                        new java.io.PrintWriter(new java.io.StringWriter()),
                                        new java.io.PrintWriter(err),
                                        dev.airlock.core.Stdio.discard())
                                .execute(args);
        Path slug = tmp.resolve("js-slug");
        java.nio.file.Files.createDirectories(slug);
        for (String f : new String[] {"skill.json", "main.js"}) {
            java.nio.file.Files.copy(
                    Path.of("..", "examples", "skills", "js-slug", f), slug.resolve(f));
        }
        assertThat(
                        cli.apply(
                                new String[] {
                                    "skill", "keys", "create", "airlock-examples", "--trust", d
                                }))
                .as(err.toString())
                .isZero();
        assertThat(
                        cli.apply(
                                new String[] {
                                    "skill", "sign", slug.toString(), "--key", "airlock-examples", d
                                }))
                .as(err.toString())
                .isZero();
        assertThat(cli.apply(new String[] {"skill", "install", slug.toString(), d}))
                .as(err.toString())
                .isZero();
        ServerParameters params = mcp(data);
        StdioClientTransport transport =
                new StdioClientTransport(params, new JacksonMcpJsonMapper(new ObjectMapper()));
        try (McpSyncClient c =
                McpClient.sync(transport).requestTimeout(Duration.ofSeconds(120)).build()) {
            c.initialize();
            assertThat(c.listTools().tools())
                    .extracting(McpSchema.Tool::name)
                    .contains("skill_js-slug_slugify", "run_python");
            McpSchema.CallToolResult r =
                    c.callTool(
                            new McpSchema.CallToolRequest(
                                    "skill_js-slug_slugify", Map.of("text", "Hello, MCP")));
            assertThat(r.isError()).as(r.toString()).isFalse();
            Map<String, Object> s = (Map<String, Object>) r.structuredContent();
            assertThat(s.get("result")).isEqualTo(Map.of("slug", "hello-mcp"));
            McpSchema.CallToolResult bad =
                    c.callTool(
                            new McpSchema.CallToolRequest(
                                    "skill_js-slug_slugify", Map.of("nope", 1)));
            assertThat(bad.isError()).isTrue();
        }
        transport.awaitForExit();
    }
}
