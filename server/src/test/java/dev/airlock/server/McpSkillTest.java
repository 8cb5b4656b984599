package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Store;
import dev.airlock.skills.Registry;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Installed skills' tools over MCP (streamable HTTP), through the SDK's own client. */
class McpSkillTest {
    static String admin;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() throws Exception {
        McpHttpTest.kit = ServerKit.start();
        SkillApiTest.kit = McpHttpTest.kit;
        ServerKit kit = McpHttpTest.kit;
        Registry registry = Registry.open(kit.data);
        SkillApiTest.publisher = AuditKeys.create(registry.keysDir(), "acme");
        registry.trust().add("acme", AuditKeys.encodePublic(SkillApiTest.publisher.publicKey()));
        try (Store store = Store.open(kit.data)) {
            store.tenants().ensure("ops");
            admin = store.apiKeys().create("ops", true, "admin").secret();
        }
        alice = kit.key("alice");
        bob = kit.key("bob");
    }

    @AfterAll
    static void stop() throws Exception {
        McpHttpTest.kit.close();
    }

    @Test
    void aTenantListsAndCallsItsSkillsToolsAndNoOneElses() throws Exception {
        // a session opened before the install sees the tool too (the list changes)
        try (McpSyncClient early = McpHttpTest.client(alice)) {
            HttpResponse<byte[]> r =
                    SkillApiTest.install(
                            admin,
                            SkillApiTest.archive(SkillApiTest.signed(SkillApiTest.echo())),
                            "?tenant=alice");
            assertThat(r.statusCode())
                    .as(new String(r.body(), StandardCharsets.UTF_8))
                    .isEqualTo(201);
            assertThat(early.listTools().tools())
                    .extracting(McpSchema.Tool::name)
                    .contains("skill_wasm-echo_echo", "skill_wasm-echo_count", "run_python");
        }
        try (McpSyncClient c = McpHttpTest.client(alice)) {
            McpSchema.Tool echo =
                    c.listTools().tools().stream()
                            .filter(t -> t.name().equals("skill_wasm-echo_echo"))
                            .findFirst()
                            .orElseThrow();
            assertThat(echo.description()).contains("Echoes").contains("Returns");
            assertThat(echo.inputSchema()).containsEntry("type", "object");
            McpSchema.CallToolResult r =
                    McpHttpTest.call(c, "skill_wasm-echo_echo", Map.of("a", 1));
            assertThat(r.isError()).as(r.toString()).isFalse();
            Map<String, Object> s = McpHttpTest.structured(r);
            assertThat(s).containsEntry("status", "ok").containsEntry("skill", "wasm-echo");
            assertThat(s.get("result")).isEqualTo(Map.of("input", Map.of("a", 1)));
            assertThat(((McpSchema.TextContent) r.content().get(0)).text())
                    .isEqualTo("{\"input\":{\"a\":1}}");
            assertThat(s.get("runId")).isNotNull();
        }
        try (McpSyncClient c = McpHttpTest.client(bob)) {
            assertThat(c.listTools().tools())
                    .extracting(McpSchema.Tool::name)
                    .doesNotContain("skill_wasm-echo_echo")
                    .contains("run_python");
            McpSchema.CallToolResult r =
                    McpHttpTest.call(c, "skill_wasm-echo_echo", Map.of("a", 1));
            assertThat(r.isError()).isTrue();
            assertThat(((McpSchema.TextContent) r.content().get(0)).text())
                    .contains("Not found")
                    .doesNotContain("input");
        }
    }

    @Test
    void aComponentSkillsFunctionsAreTools() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("component-skill");
        java.nio.file.Files.write(
                dir.resolve("main.wasm"),
                java.nio.file.Files.readAllBytes(
                        java.nio.file.Path.of(
                                "../components/src/test/resources/dev/airlock/components/compose/"
                                        + "secret.wasm")));
        java.nio.file.Files.write(
                dir.resolve("skill.json"),
                ("{\"name\":\"texts\",\"version\":\"1.0.0\",\"description\":\"Text tools\","
                                + "\"publisher\":\"acme\",\"tools\":[{\"name\":\"upper\","
                                + "\"description\":\"Upper-cases ASCII letters\",\"inputSchema\":"
                                + "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\"}},"
                                + "\"required\":[\"s\"]},\"outputSchema\":{\"type\":\"string\"}}],"
                                + "\"entry\":{\"kind\":\"component\",\"file\":\"main.wasm\"},"
                                + "\"capabilities\":{}}")
                        .getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> r =
                SkillApiTest.install(
                        admin,
                        SkillApiTest.archive(
                                SkillApiTest.signed(dev.airlock.skills.SkillFiles.readFolder(dir))),
                        "?tenant=alice");
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        try (McpSyncClient c = McpHttpTest.client(alice)) {
            assertThat(c.listTools().tools())
                    .extracting(McpSchema.Tool::name)
                    .contains("skill_texts_upper");
            McpSchema.CallToolResult res =
                    McpHttpTest.call(c, "skill_texts_upper", Map.of("s", "sandboxed"));
            assertThat(res.isError()).as(res.toString()).isFalse();
            assertThat(McpHttpTest.structured(res)).containsEntry("result", "SANDBOXED");
        }
    }
}
