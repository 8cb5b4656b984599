package dev.airlock.server.mcp;

import dev.airlock.audit.store.Principal;
import dev.airlock.server.service.AirlockService;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.function.Function;

/** What both MCP transports share: server info, capabilities, instructions and the tools. */
final class McpServers {
    static final String INSTRUCTIONS =
            "Airlock runs code in a WebAssembly sandbox: Python 3.13 (standard library only),"
                    + " JavaScript (QuickJS) and WASI modules, with no network and no host files."
                    + " Use run_python / run_javascript for one-off programs (print what you need),"
                    + " and sessions (create_session, run_in_session) to keep state between calls;"
                    + " snapshot_session before risky steps, restore_session to roll back.";

    private McpServers() {}

    static <S extends McpServer.SyncSpecification<S>> McpServer.SyncSpecification<S> configure(
            McpServer.SyncSpecification<S> spec,
            AirlockService service,
            Function<McpSyncServerExchange, Principal> who) {
        String version = McpServers.class.getPackage().getImplementationVersion();
        return spec.serverInfo("airlock", version == null ? "0.1.0-SNAPSHOT" : version)
                .instructions(INSTRUCTIONS)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .requestTimeout(Duration.ofMinutes(5))
                .tools(new McpTools(service, who).specifications());
    }
}
