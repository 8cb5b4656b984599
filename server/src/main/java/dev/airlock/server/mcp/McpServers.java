package dev.airlock.server.mcp;

import dev.airlock.audit.store.Principal;
import dev.airlock.server.service.AirlockService;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** What both MCP transports share: server info, capabilities, instructions and the tools. */
final class McpServers {
    static final String INSTRUCTIONS =
            "Airlock runs code in a WebAssembly sandbox: Python 3.13 (standard library only),"
                    + " JavaScript (QuickJS) and WASI modules, with no network and no host files."
                    + " Use run_python / run_javascript for one-off programs (print what you need),"
                    + " and sessions (create_session, run_in_session) to keep state between calls;"
                    + " upload_file, download_file and list_files move files in and out of a"
                    + " session's /workspace; list_sessions finds open sessions again;"
                    + " snapshot_session before risky steps, restore_session to roll back."
                    + " Every result names its session sessionId."
                    + " Tools named skill_NAME_TOOL are installed, signed skills: each takes the"
                    + " JSON input its schema describes and answers JSON.";

    private McpServers() {}

    static <S extends McpServer.SyncSpecification<S>> McpServer.SyncSpecification<S> configure(
            McpServer.SyncSpecification<S> spec,
            AirlockService service,
            Function<McpSyncServerExchange, Principal> who,
            McpSkillTools skills,
            McpOrigins origins) {
        String version = McpServers.class.getPackage().getImplementationVersion();
        List<SyncToolSpecification> tools =
                new ArrayList<>(new McpTools(service, who, origins).specifications());
        tools.addAll(skills.specifications());
        return spec.serverInfo("airlock", version == null ? "0.1.0-SNAPSHOT" : version)
                .instructions(INSTRUCTIONS)
                // the list changes when skills are installed or removed
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .requestTimeout(Duration.ofMinutes(5))
                .addToolFilter(skills.filter())
                .tools(tools);
    }

    /** Keeps {@code server}'s skill tools up to date with the registry from now on. */
    static void follow(McpSyncServer server, AirlockService service, McpSkillTools skills) {
        if (service.hasSkills()) {
            service.skills().onChange(() -> skills.sync(server));
        }
    }
}
