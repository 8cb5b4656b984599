package dev.airlock.server.mcp;

import dev.airlock.audit.store.Principal;
import dev.airlock.server.service.AirlockService;
import io.modelcontextprotocol.server.McpAsyncListFilter;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncListFilter;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

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

    /**
     * Builds a server on {@code spec}. It is built asynchronous and wrapped, because the SDK runs a
     * synchronous list filter on another thread, and Reactor's {@code filterWhen} (3.7) then drops
     * tools from a {@code tools/list} answer now and then: when a filter's answer arrives while the
     * list is still being walked, the next tools are discarded as if filtered out (a client saw
     * only {@code run_python}). Here the filter answers in the caller's thread and only the tool
     * calls move to Reactor's bounded elastic threads, as the SDK does for synchronous servers.
     */
    static <S extends McpServer.AsyncSpecification<S>> McpSyncServer build(
            McpServer.AsyncSpecification<S> spec,
            AirlockService service,
            Function<McpSyncServerExchange, Principal> who,
            McpSkillTools skills,
            McpOrigins origins) {
        String version = McpServers.class.getPackage().getImplementationVersion();
        List<SyncToolSpecification> tools =
                new ArrayList<>(new McpTools(service, who, origins).specifications());
        tools.addAll(skills.specifications());
        McpAsyncServer server =
                spec.serverInfo("airlock", version == null ? "0.1.0-SNAPSHOT" : version)
                        .instructions(INSTRUCTIONS)
                        // the list changes when skills are installed or removed
                        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                        .requestTimeout(Duration.ofMinutes(5))
                        .addToolFilter(inPlace(skills.filter()))
                        .tools(tools.stream().map(McpServers::offloaded).toList())
                        .build();
        return new McpSyncServer(server);
    }

    /**
     * {@code filter} asked in the subscriber's thread: a Mono of a callable, which {@code
     * filterWhen} calls in place instead of subscribing to it.
     */
    static <T> McpAsyncListFilter<T> inPlace(McpSyncListFilter<T> filter) {
        return (ctx, item) -> Mono.fromCallable(() -> filter.isVisible(ctx, item));
    }

    /**
     * {@code tool} as an asynchronous tool whose calls run on Reactor's bounded elastic threads.
     */
    static AsyncToolSpecification offloaded(SyncToolSpecification tool) {
        return AsyncToolSpecification.builder()
                .tool(tool.tool())
                .callHandler(
                        (ex, req) ->
                                Mono.fromCallable(
                                                () ->
                                                        tool.callHandler()
                                                                .apply(
                                                                        new McpSyncServerExchange(
                                                                                ex),
                                                                        req))
                                        .subscribeOn(Schedulers.boundedElastic()))
                .build();
    }

    /** Keeps {@code server}'s skill tools up to date with the registry from now on. */
    static void follow(McpSyncServer server, AirlockService service, McpSkillTools skills) {
        if (service.hasSkills()) {
            service.skills().onChange(() -> skills.sync(server));
        }
    }
}
