package dev.airlock.server.mcp;

import dev.airlock.audit.store.Principal;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.service.AirlockService;
import io.javalin.config.JavalinConfig;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * MCP over streamable HTTP at {@code /mcp}, beside the REST API: the same API keys ({@code
 * Authorization: Bearer KEY}; without a valid one, 401 before any MCP processing) and each call
 * runs as its key's tenant. A transport session ({@code Mcp-Session-Id}) belongs to the tenant that
 * initialized it: another tenant's key gets 404 for it. Malformed messages and unknown sessions are
 * answered with JSON-RPC errors that show nothing of the server ({@link McpGate}).
 */
public final class McpHttp implements AutoCloseable {
    /** Where MCP is served. */
    public static final String PATH = "/mcp";

    private static final String PRINCIPAL = McpGate.PRINCIPAL;

    /**
     * The SDK's transport starts its session sweeper on a scheduler of its own, with a non-daemon
     * thread that closing the transport does not stop (SDK 2.1.0): an embedding JVM would not exit.
     * Reactor reports every executor it creates to its decorators, on the creating thread; while
     * this class builds a transport, the transport's own schedulers (named after it) are collected
     * here and disposed on close. Otherwise the decorator changes nothing.
     */
    private static final ThreadLocal<List<Scheduler>> BUILDING = new ThreadLocal<>();

    private static final String SWEEPER = "streamable-http-server-transport";

    static {
        Schedulers.addExecutorServiceDecorator(
                McpHttp.class.getName(),
                (scheduler, executor) -> {
                    List<Scheduler> made = BUILDING.get();
                    // only the transport's own: shared ones (boundedElastic) may start here too
                    if (made != null && scheduler.toString().contains(SWEEPER)) {
                        made.add(scheduler);
                    }
                    return executor;
                });
    }

    private final McpGate gate;
    private final List<Scheduler> schedulers = new ArrayList<>();
    private final HttpServletStreamableServerTransportProvider transport;
    private final McpSyncServer server;

    public McpHttp(AirlockService service, int maxRequestBytes) {
        this(service, maxRequestBytes, null);
    }

    /**
     * @param tracer where the spans of tool calls go; null: none
     */
    public McpHttp(
            AirlockService service, int maxRequestBytes, io.opentelemetry.api.trace.Tracer tracer) {
        this.gate = new McpGate(service, maxRequestBytes);
        McpJson mapper = new McpJson();
        BUILDING.set(schedulers);
        try {
            this.transport = transport(mapper, maxRequestBytes);
        } finally {
            BUILDING.remove();
        }
        McpOrigins origins = new McpOrigins(tracer);
        McpSkillTools skills =
                new McpSkillTools(service, McpHttp::principal, McpHttp::principalIn, origins);
        this.server =
                McpServers.build(
                        McpServer.async(transport), service, McpHttp::principal, skills, origins);
        McpServers.follow(server, service, skills);
    }

    private static HttpServletStreamableServerTransportProvider transport(
            McpJson mapper, int maxRequestBytes) {
        return HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(mapper)
                .mcpEndpoint(PATH)
                .maxRequestSize(maxRequestBytes)
                .contextExtractor(
                        req -> {
                            Map<String, Object> m = new java.util.HashMap<>();
                            Object p = req.getAttribute(PRINCIPAL);
                            if (p != null) {
                                m.put(PRINCIPAL, p);
                            }
                            Object origin = McpOrigins.capture(req);
                            if (origin != null) {
                                m.put(McpOrigins.KEY, origin);
                            }
                            return McpTransportContext.create(m);
                        })
                .build();
    }

    private static Principal principal(io.modelcontextprotocol.server.McpSyncServerExchange ex) {
        Object p = ex.transportContext().get(PRINCIPAL);
        if (p instanceof Principal principal) {
            return principal;
        }
        throw ApiException.unauthorized();
    }

    private static Principal principalIn(McpTransportContext ctx) {
        Object p = ctx == null ? null : ctx.get(PRINCIPAL);
        if (p instanceof Principal principal) {
            return principal;
        }
        throw ApiException.unauthorized();
    }

    /** Mounts the endpoint and its key check on the server's Jetty. */
    public void configure(JavalinConfig config) {
        config.jetty.modifyServletContextHandler(
                h -> {
                    ServletHolder servlet = new ServletHolder(transport);
                    servlet.setAsyncSupported(true);
                    h.addServlet(servlet, PATH);
                    FilterHolder auth = new FilterHolder(gate);
                    auth.setAsyncSupported(true);
                    h.addFilter(auth, PATH, EnumSet.of(DispatcherType.REQUEST));
                });
    }

    @Override
    public void close() {
        try {
            server.closeGracefully();
        } finally {
            gate.clear();
            schedulers.forEach(Scheduler::dispose);
        }
    }
}
