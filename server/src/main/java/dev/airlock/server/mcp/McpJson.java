package dev.airlock.server.mcp;

import dev.airlock.server.http.Json;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;

/**
 * The JSON mapper of both MCP transports: Jackson with the API's settings, and the SDK's wording of
 * a call to an unknown tool ({@code Unknown tool: invalid_tool_name}, the name only in the error's
 * data) replaced by one that names the tool and says where the tools are listed.
 */
final class McpJson implements McpJsonMapper {
    static final String SDK_UNKNOWN_TOOL = "Unknown tool: invalid_tool_name";
    private static final String SDK_DATA_PREFIX = "Tool not found: ";

    private final JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(Json.MAPPER);

    /** The message for a call to {@code name}, which no tool has. */
    static String unknownTool(String name) {
        return "Unknown tool '"
                + name
                + "': no tool has this name; tools/list gives the tools there are (such as"
                + " run_python, run_javascript, create_session and run_in_session)";
    }

    /** The message with the SDK's unknown-tool error reworded; anything else as it is. */
    static Object reword(Object message) {
        if (message instanceof McpSchema.JSONRPCResponse r
                && r.error() != null
                && SDK_UNKNOWN_TOOL.equals(r.error().message())) {
            String data = String.valueOf(r.error().data());
            String name =
                    data.startsWith(SDK_DATA_PREFIX)
                            ? data.substring(SDK_DATA_PREFIX.length())
                            : data;
            return new McpSchema.JSONRPCResponse(
                    r.jsonrpc(),
                    r.id(),
                    null,
                    new McpSchema.JSONRPCResponse.JSONRPCError(
                            r.error().code(), unknownTool(name), name));
        }
        return message;
    }

    @Override
    public <T> T readValue(String content, Class<T> type) throws IOException {
        return json.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, Class<T> type) throws IOException {
        return json.readValue(content, type);
    }

    @Override
    public <T> T readValue(String content, TypeRef<T> type) throws IOException {
        return json.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, TypeRef<T> type) throws IOException {
        return json.readValue(content, type);
    }

    @Override
    public <T> T convertValue(Object from, Class<T> type) {
        return json.convertValue(from, type);
    }

    @Override
    public <T> T convertValue(Object from, TypeRef<T> type) {
        return json.convertValue(from, type);
    }

    @Override
    public String writeValueAsString(Object value) throws IOException {
        return json.writeValueAsString(reword(value));
    }

    @Override
    public byte[] writeValueAsBytes(Object value) throws IOException {
        return json.writeValueAsBytes(reword(value));
    }
}
