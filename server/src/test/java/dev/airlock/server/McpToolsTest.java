package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MCP tools' contract through the SDK's client: annotations and output schemas on every tool,
 * each structured result valid against its tool's schema, the file tools and list_sessions, session
 * ids named sessionId everywhere, and an unknown tool answered by name.
 */
class McpToolsTest {
    static ServerKit kit;
    static String key;
    static final JsonSchemaValidator VALIDATOR = new DefaultJsonSchemaValidator();
    static final List<String> TOOLS =
            List.of(
                    "run_python",
                    "run_javascript",
                    "run_wasm",
                    "create_session",
                    "run_in_session",
                    "snapshot_session",
                    "restore_session",
                    "fork_session",
                    "close_session",
                    "list_sessions",
                    "upload_file",
                    "download_file",
                    "list_files");

    @BeforeAll
    static void start() throws Exception {
        kit = ServerKit.start();
        key = kit.key("carol");
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
    }

    /** Calls a tool and checks its structured result against the tool's output schema. */
    static Map<String, Object> ok(
            McpSyncClient c,
            Map<String, McpSchema.Tool> tools,
            String tool,
            Map<String, Object> args) {
        McpSchema.CallToolResult r = McpHttpTest.call(c, tool, args);
        assertThat(r.isError()).as(tool + ": " + r.content()).isFalse();
        Map<String, Object> s = McpHttpTest.structured(r);
        JsonSchemaValidator.ValidationResponse v =
                VALIDATOR.validate(tools.get(tool).outputSchema(), s);
        assertThat(v.valid()).as(tool + ": " + v.errorMessage() + " in " + s).isTrue();
        return s;
    }

    static Map<String, McpSchema.Tool> tools(McpSyncClient c) {
        Map<String, McpSchema.Tool> byName = new HashMap<>();
        c.listTools().tools().forEach(t -> byName.put(t.name(), t));
        return byName;
    }

    @Test
    void everyToolHasAnnotationsAndAValidOutputSchema() {
        try (McpSyncClient c = McpHttpTest.client(kit, key)) {
            Map<String, McpSchema.Tool> tools = tools(c);
            assertThat(tools).containsKeys(TOOLS.toArray(new String[0]));
            for (String name : TOOLS) {
                McpSchema.Tool t = tools.get(name);
                assertThat(t.annotations()).as(name).isNotNull();
                assertThat(t.annotations().openWorldHint()).as(name).isFalse();
                assertThat(t.annotations().readOnlyHint()).as(name).isNotNull();
                assertThat(t.annotations().destructiveHint()).as(name).isNotNull();
                assertThat(t.outputSchema()).as(name).containsEntry("type", "object");
                assertThat(VALIDATOR.validateSchema(t.outputSchema()).valid()).as(name).isTrue();
                assertThat(t.description()).as(name).hasSizeGreaterThan(60);
            }
            assertThat(tools.get("list_files").annotations().readOnlyHint()).isTrue();
            assertThat(tools.get("download_file").annotations().readOnlyHint()).isTrue();
            assertThat(tools.get("close_session").annotations().destructiveHint()).isTrue();
            assertThat(tools.get("run_python").annotations().destructiveHint()).isFalse();
        }
    }

    @Test
    void sessionsAndFilesRoundTripWithSessionIdEverywhere() {
        try (McpSyncClient c = McpHttpTest.client(kit, key)) {
            Map<String, McpSchema.Tool> t = tools(c);
            Map<String, Object> s = ok(c, t, "create_session", Map.of("language", "python"));
            String id = s.get("sessionId").toString();
            assertThat(s).doesNotContainKey("id").containsEntry("language", "python");

            Map<String, Object> up =
                    ok(
                            c,
                            t,
                            "upload_file",
                            Map.of("sessionId", id, "path", "in.txt", "content", "héllo"));
            assertThat(up)
                    .containsEntry("sessionId", id)
                    .containsEntry("path", "/workspace/in.txt")
                    .containsEntry("size", 6);
            byte[] binary = {0, 1, 2, (byte) 0xff};
            ok(
                    c,
                    t,
                    "upload_file",
                    Map.of(
                            "sessionId",
                            id,
                            "path",
                            "/workspace/bin.dat",
                            "base64",
                            Base64.getEncoder().encodeToString(binary)));
            Map<String, Object> run =
                    ok(
                            c,
                            t,
                            "run_in_session",
                            Map.of(
                                    "sessionId",
                                    id,
                                    "code",
                                    "t = open('in.txt').read()\nopen('out.txt', 'w').write(t.upper())\nprint(len(open('bin.dat','rb').read()))"));
            assertThat(run).containsEntry("sessionId", id).containsEntry("stdout", "4\n");

            Map<String, Object> down =
                    ok(c, t, "download_file", Map.of("sessionId", id, "path", "out.txt"));
            assertThat(down).containsEntry("content", "HÉLLO").containsEntry("sessionId", id);
            Map<String, Object> bin =
                    ok(c, t, "download_file", Map.of("sessionId", id, "path", "bin.dat"));
            assertThat(bin).doesNotContainKey("content");
            assertThat(Base64.getDecoder().decode(bin.get("base64").toString())).isEqualTo(binary);
            assertThat(ok(c, t, "list_files", Map.of("sessionId", id)).get("files").toString())
                    .contains("in.txt", "out.txt", "bin.dat");

            Map<String, Object> snap = ok(c, t, "snapshot_session", Map.of("sessionId", id));
            assertThat(snap)
                    .containsEntry("sessionId", id)
                    .containsKey("snapshotId")
                    .doesNotContainKey("id");
            String fork =
                    ok(c, t, "fork_session", Map.of("sessionId", id)).get("sessionId").toString();
            assertThat(fork).isNotEqualTo(id);
            assertThat(
                            ok(
                                            c,
                                            t,
                                            "restore_session",
                                            Map.of(
                                                    "sessionId",
                                                    id,
                                                    "snapshotId",
                                                    snap.get("snapshotId")))
                                    .get("sessionId"))
                    .isEqualTo(id);
            assertThat(ok(c, t, "list_sessions", Map.of()).get("sessions").toString())
                    .contains("sessionId=" + id, "sessionId=" + fork);
            assertThat(ok(c, t, "close_session", Map.of("sessionId", fork)))
                    .containsEntry("sessionId", fork)
                    .containsEntry("closed", true);
            assertThat(ok(c, t, "list_sessions", Map.of()).get("sessions").toString())
                    .doesNotContain(fork);

            McpSchema.CallToolResult missing =
                    McpHttpTest.call(
                            c, "download_file", Map.of("sessionId", id, "path", "nope.txt"));
            assertThat(missing.isError()).isTrue();
            assertThat(((McpSchema.TextContent) missing.content().get(0)).text())
                    .contains("/workspace/nope.txt");
            McpSchema.CallToolResult outside =
                    McpHttpTest.call(
                            c,
                            "upload_file",
                            Map.of("sessionId", id, "path", "/etc/x", "content", "1"));
            assertThat(outside.isError()).isTrue();
            assertThat(((McpSchema.TextContent) outside.content().get(0)).text())
                    .contains("outside /workspace");
        }
    }

    @Test
    void aOneOffRunMatchesItsSchema() {
        try (McpSyncClient c = McpHttpTest.client(kit, key)) {
            Map<String, McpSchema.Tool> t = tools(c);
            Map<String, Object> r =
                    ok(c, t, "run_javascript", Map.of("code", "console.log(1 + 1)"));
            assertThat(r).containsEntry("stdout", "2\n").doesNotContainKey("sessionId");
        }
    }

    @Test
    void anUnknownToolIsNamedInTheError() {
        try (McpSyncClient c = McpHttpTest.client(kit, key)) {
            assertThatThrownBy(() -> McpHttpTest.call(c, "run_cobol", Map.of()))
                    .isInstanceOf(McpError.class)
                    .hasMessageContaining("Unknown tool 'run_cobol'")
                    .hasMessageContaining("tools/list")
                    .hasMessageNotContaining("invalid_tool_name");
        }
    }
}
