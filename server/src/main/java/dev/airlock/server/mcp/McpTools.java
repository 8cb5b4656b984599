package dev.airlock.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.audit.store.Principal;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.CodeRequest;
import dev.airlock.server.api.ExecutionRequest;
import dev.airlock.server.api.ExecutionResult;
import dev.airlock.server.api.FileContent;
import dev.airlock.server.api.RequestLimits;
import dev.airlock.server.api.SessionRequest;
import dev.airlock.server.http.Json;
import dev.airlock.server.service.AirlockService;
import dev.airlock.server.service.OutputListener;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Airlock's MCP tools, each a thin call into {@link AirlockService} as the caller's principal (so
 * auth, ceilings, quotas, tenant isolation and audit are those of the HTTP API). Their names,
 * descriptions and input schemas are in {@code tools.json}. A guest's failure is a normal result
 * (with {@code isError} set when the outcome is not {@code ok}); a refusal (bad arguments, quota,
 * unknown session) is an error result carrying the problem's message.
 */
public final class McpTools {
    private final AirlockService service;
    private final Function<McpSyncServerExchange, Principal> who;
    private final McpOrigins origins;

    /**
     * @param who the principal a call runs as (from the transport's context)
     */
    public McpTools(AirlockService service, Function<McpSyncServerExchange, Principal> who) {
        this(service, who, new McpOrigins(null));
    }

    McpTools(
            AirlockService service,
            Function<McpSyncServerExchange, Principal> who,
            McpOrigins origins) {
        this.service = service;
        this.who = who;
        this.origins = origins;
    }

    /** Arguments of run_python, run_javascript and run_wasm. */
    record RunArgs(
            String code,
            String module,
            List<String> args,
            Map<String, String> env,
            Map<String, FileContent> files,
            String stdin,
            Long timeoutMs,
            Long memoryBytes,
            Long maxOutputBytes,
            Long fuel) {}

    record SessionArgs(
            String language,
            Map<String, String> env,
            Map<String, FileContent> files,
            Long timeoutMs,
            Long memoryBytes,
            Long maxOutputBytes) {}

    record InSession(String sessionId, String code) {}

    record SnapshotArgs(String sessionId, String snapshotId) {}

    record FileArgs(String sessionId, String path, String content, String base64) {}

    record NoArgs() {}

    /** The tool specifications. */
    public List<SyncToolSpecification> specifications() {
        Map<String, BiFunction<Principal, Map<String, Object>, Object>> handlers =
                new LinkedHashMap<>();
        handlers.put("run_python", (p, a) -> run(p, "python", a));
        handlers.put("run_javascript", (p, a) -> run(p, "javascript", a));
        handlers.put("run_wasm", (p, a) -> run(p, "wasm", a));
        handlers.put(
                "create_session",
                (p, a) -> {
                    SessionArgs s = args(a, SessionArgs.class);
                    return McpResults.Session.of(
                            service.createSession(
                                    p,
                                    new SessionRequest(
                                            s.language(),
                                            s.env(),
                                            s.files(),
                                            new RequestLimits(
                                                    s.timeoutMs(),
                                                    s.memoryBytes(),
                                                    s.maxOutputBytes(),
                                                    null),
                                            null,
                                            null,
                                            null)));
                });
        handlers.put(
                "run_in_session",
                (p, a) -> {
                    InSession s = args(a, InSession.class);
                    return service.runInSession(
                            p, s.sessionId(), new CodeRequest(s.code()), OutputListener.NONE);
                });
        handlers.put(
                "snapshot_session",
                (p, a) ->
                        McpResults.Snapshot.of(
                                service.snapshot(p, args(a, SnapshotArgs.class).sessionId())));
        handlers.put(
                "restore_session",
                (p, a) -> {
                    SnapshotArgs s = args(a, SnapshotArgs.class);
                    return McpResults.Session.of(service.restore(p, s.sessionId(), s.snapshotId()));
                });
        handlers.put(
                "fork_session",
                (p, a) ->
                        McpResults.Session.of(
                                service.fork(p, args(a, SnapshotArgs.class).sessionId())));
        handlers.put(
                "close_session",
                (p, a) -> {
                    String id = args(a, SnapshotArgs.class).sessionId();
                    service.closeSession(p, id);
                    return new McpResults.Closed(id, true);
                });
        handlers.put(
                "list_sessions",
                (p, a) -> {
                    args(a, NoArgs.class);
                    return new McpResults.Sessions(
                            service.sessions(p).stream().map(McpResults.Session::of).toList());
                });
        McpFileTools.add(handlers, service);
        JsonNode defs = definitions();
        JsonNode outputs = resource("outputs.json");
        List<SyncToolSpecification> out = new ArrayList<>();
        for (Map.Entry<String, BiFunction<Principal, Map<String, Object>, Object>> h :
                handlers.entrySet()) {
            JsonNode d = defs.get(h.getKey());
            if (d == null) {
                throw new IllegalStateException("tools.json lacks " + h.getKey());
            }
            JsonNode a = d.get("annotations");
            McpSchema.Tool tool =
                    McpSchema.Tool.builder()
                            .name(h.getKey())
                            .title(d.get("title").asText())
                            .description(d.get("description").asText())
                            .inputSchema(map(d.get("inputSchema")))
                            .outputSchema(map(outputs.get(d.get("output").asText())))
                            .annotations(
                                    new McpSchema.ToolAnnotations(
                                            d.get("title").asText(),
                                            a.get("readOnlyHint").asBoolean(),
                                            a.get("destructiveHint").asBoolean(),
                                            a.get("idempotentHint").asBoolean(),
                                            a.get("openWorldHint").asBoolean(),
                                            null))
                            .build();
            BiFunction<Principal, Map<String, Object>, Object> handler = h.getValue();
            out.add(
                    SyncToolSpecification.builder()
                            .tool(tool)
                            .callHandler(
                                    origins.wrap(h.getKey(), (ex, req) -> call(ex, req, handler)))
                            .build());
        }
        return out;
    }

    private McpSchema.CallToolResult call(
            McpSyncServerExchange ex,
            McpSchema.CallToolRequest req,
            BiFunction<Principal, Map<String, Object>, Object> handler) {
        Principal p;
        Object result;
        try {
            p = who.apply(ex);
            result = handler.apply(p, req.arguments() == null ? Map.of() : req.arguments());
        } catch (ApiException e) {
            return McpSchema.CallToolResult.builder()
                    .addTextContent(e.title() + ": " + e.detail())
                    .isError(true)
                    .build();
        }
        Map<String, Object> structured = map(Json.MAPPER.valueToTree(result));
        McpSchema.CallToolResult.Builder b =
                McpSchema.CallToolResult.builder().structuredContent(structured);
        if (result instanceof ExecutionResult r) {
            b.addTextContent(text(r));
            b.isError(!r.status().equals("ok"));
        } else {
            b.addTextContent(Json.MAPPER.valueToTree(result).toString());
            b.isError(false);
        }
        return b.build();
    }

    private ExecutionResult run(Principal p, String language, Map<String, Object> a) {
        RunArgs r = args(a, RunArgs.class);
        return service.execute(
                p,
                new ExecutionRequest(
                        language,
                        r.code(),
                        r.module(),
                        r.args(),
                        r.env(),
                        r.files(),
                        r.stdin(),
                        new RequestLimits(
                                r.timeoutMs(), r.memoryBytes(), r.maxOutputBytes(), r.fuel()),
                        null,
                        null,
                        null),
                OutputListener.NONE);
    }

    /** A readable account of a result, for models that read text. */
    static String text(ExecutionResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append("status: ").append(r.status());
        if (r.exitCode() != null) {
            sb.append(" (exit code ").append(r.exitCode()).append(')');
        }
        if (!r.status().equals("ok")) {
            sb.append("\nmessage: ").append(r.message());
        }
        if (!r.stdout().isEmpty()) {
            sb.append("\nstdout:\n").append(r.stdout());
        }
        if (!r.stderr().isEmpty()) {
            sb.append("\nstderr:\n").append(r.stderr());
        }
        if (r.files() != null && !r.files().isEmpty()) {
            sb.append("\nfiles changed: ").append(String.join(", ", r.files().keySet()));
        }
        sb.append("\nrun: ").append(r.runId());
        return sb.toString();
    }

    /** Reads tool arguments strictly (unknown or mistyped fields are a 400-like refusal). */
    static <T> T args(Map<String, Object> a, Class<T> type) {
        return Json.read(Json.write(a), type);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonNode node) {
        return Json.MAPPER.convertValue(node, LinkedHashMap.class);
    }

    private static JsonNode definitions() {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (Iterator<JsonNode> it = resource("tools.json").elements(); it.hasNext(); ) {
            JsonNode t = it.next();
            byName.put(t.get("name").asText(), t);
        }
        return Json.MAPPER.valueToTree(byName);
    }

    private static JsonNode resource(String name) {
        try (InputStream in = McpTools.class.getResourceAsStream(name)) {
            return Json.MAPPER.readTree(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException(new IOException(name + " is missing", e));
        }
    }
}
