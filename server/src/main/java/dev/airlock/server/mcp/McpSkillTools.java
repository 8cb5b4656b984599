package dev.airlock.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.store.Principal;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.http.Json;
import dev.airlock.server.service.AirlockService;
import dev.airlock.server.service.SkillService;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncListFilter;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Every installed skill's tools as MCP tools named {@code skill_NAME_TOOL} (skill names have no
 * {@code _}, so the name splits back unambiguously), with the manifest's description and input
 * schema. A schema whose type is not {@code object} (MCP wants object arguments) is offered as
 * {@code {"input": SCHEMA}} and unwrapped on call. The SDK's tool list is one per server, so every
 * tool is registered (at start, and again after each install or remove, with a list-changed
 * notification) and a list filter shows a session only the skills its tenant sees; a call checks
 * visibility again (an unseen skill is "not found").
 */
final class McpSkillTools {
    static final String PREFIX = "skill_";

    private final AirlockService service;
    private final Function<McpSyncServerExchange, Principal> who;
    private final Function<McpTransportContext, Principal> whoIn;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final McpOrigins origins;

    McpSkillTools(
            AirlockService service,
            Function<McpSyncServerExchange, Principal> who,
            Function<McpTransportContext, Principal> whoIn,
            McpOrigins origins) {
        this.service = service;
        this.who = who;
        this.whoIn = whoIn;
        this.origins = origins;
    }

    static String name(String skill, String tool) {
        return PREFIX + skill + "_" + tool;
    }

    /** The skill of an MCP tool name, or null if it is not a skill's tool. */
    static String skillOf(String toolName) {
        if (!toolName.startsWith(PREFIX)) {
            return null;
        }
        String rest = toolName.substring(PREFIX.length());
        int u = rest.indexOf('_');
        return u < 0 ? null : rest.substring(0, u);
    }

    /** The tools of the skills installed now. */
    List<SyncToolSpecification> specifications() {
        List<SyncToolSpecification> out = new ArrayList<>();
        if (!service.hasSkills()) {
            return out;
        }
        for (SkillService.ToolView t : service.skills().allTools()) {
            String name = name(t.skill(), t.tool());
            if (name.length() > 128) {
                continue;
            }
            JsonNode schema = t.inputSchema();
            boolean wrapped = !"object".equals(schema.path("type").asText());
            if (wrapped) {
                ObjectNode o = Json.MAPPER.createObjectNode();
                o.put("type", "object");
                o.putObject("properties").set("input", schema);
                o.putArray("required").add("input");
                schema = o;
            }
            McpSchema.Tool tool =
                    McpSchema.Tool.builder()
                            .name(name)
                            .title(t.skill() + " " + t.tool())
                            .description(t.description())
                            .inputSchema(map(schema))
                            .build();
            out.add(
                    SyncToolSpecification.builder()
                            .tool(tool)
                            .callHandler(
                                    origins.wrap(
                                            name,
                                            (ex, req) ->
                                                    call(ex, req, t.skill(), t.tool(), wrapped)))
                            .build());
        }
        out.forEach(s -> registered.add(s.tool().name()));
        return out;
    }

    /** Shows a session only the skills its tenant sees. */
    McpSyncListFilter<McpSchema.Tool> filter() {
        return (ctx, tool) -> {
            String skill = skillOf(tool.name());
            if (skill == null) {
                return true;
            }
            // checked whether or not the tool is in this server's list now (a sync may be under
            // way): a skill's tool is shown only to the tenants that see the skill
            try {
                return service.skills().visible(whoIn.apply(ctx), skill);
            } catch (RuntimeException e) {
                return false;
            }
        };
    }

    /** Brings the server's skill tools up to date with the registry. */
    synchronized void sync(McpSyncServer server) {
        Set<String> before = Set.copyOf(registered);
        registered.clear();
        List<SyncToolSpecification> now = specifications();
        for (String old : before) {
            try {
                server.removeTool(old);
            } catch (RuntimeException e) {
                // already gone
            }
        }
        for (SyncToolSpecification s : now) {
            server.addTool(s);
        }
        try {
            server.notifyToolsListChanged();
        } catch (RuntimeException e) {
            // no session to tell
        }
    }

    private McpSchema.CallToolResult call(
            McpSyncServerExchange ex,
            McpSchema.CallToolRequest req,
            String skill,
            String tool,
            boolean wrapped) {
        SkillService.CallResult r;
        try {
            Principal p = who.apply(ex);
            Map<String, Object> args = req.arguments() == null ? Map.of() : req.arguments();
            Object input = wrapped ? args.get("input") : args;
            byte[] body = Json.write(input);
            r = service.callSkill(p, skill, tool, null, body);
        } catch (ApiException e) {
            return McpSchema.CallToolResult.builder()
                    .addTextContent(e.title() + ": " + e.detail())
                    .isError(true)
                    .build();
        }
        McpSchema.CallToolResult.Builder b =
                McpSchema.CallToolResult.builder()
                        .structuredContent(map(Json.MAPPER.valueToTree(r)));
        if (r.ok()) {
            b.addTextContent(new String(Json.write(r.result()), StandardCharsets.UTF_8));
        } else {
            StringBuilder sb = new StringBuilder("status: ").append(r.status());
            if (r.exitCode() != null) {
                sb.append(" (exit code ").append(r.exitCode()).append(')');
            }
            sb.append("\nmessage: ").append(r.problem() != null ? r.problem() : r.message());
            if (r.stdout() != null && !r.stdout().isEmpty()) {
                sb.append("\nstdout:\n").append(r.stdout());
            }
            if (r.stderr() != null && !r.stderr().isEmpty()) {
                sb.append("\nstderr:\n").append(r.stderr());
            }
            sb.append("\nrun: ").append(r.runId());
            b.addTextContent(sb.toString());
        }
        return b.isError(!r.ok()).build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonNode node) {
        return Json.MAPPER.convertValue(node, LinkedHashMap.class);
    }
}
