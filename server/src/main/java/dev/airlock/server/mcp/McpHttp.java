package dev.airlock.server.mcp;

import dev.airlock.audit.store.Principal;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.http.Json;
import dev.airlock.server.service.AirlockService;
import io.javalin.config.JavalinConfig;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * MCP over streamable HTTP at {@code /mcp}, beside the REST API: the same API keys ({@code
 * Authorization: Bearer KEY}; without a valid one, 401 before any MCP processing) and each call
 * runs as its key's tenant.
 */
public final class McpHttp implements AutoCloseable {
    /** Where MCP is served. */
    public static final String PATH = "/mcp";

    private static final String PRINCIPAL = "airlock.mcp.principal";

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

    private final AirlockService service;
    private final List<Scheduler> schedulers = new ArrayList<>();
    private final HttpServletStreamableServerTransportProvider transport;
    private final McpSyncServer server;

    public McpHttp(AirlockService service, int maxRequestBytes) {
        this.service = service;
        JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(Json.MAPPER);
        BUILDING.set(schedulers);
        try {
            this.transport = transport(mapper, maxRequestBytes);
        } finally {
            BUILDING.remove();
        }
        this.server =
                McpServers.configure(McpServer.sync(transport), service, McpHttp::principal)
                        .build();
    }

    private static HttpServletStreamableServerTransportProvider transport(
            JacksonMcpJsonMapper mapper, int maxRequestBytes) {
        return HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(mapper)
                .mcpEndpoint(PATH)
                .maxRequestSize(maxRequestBytes)
                .contextExtractor(
                        req ->
                                McpTransportContext.create(
                                        Map.of(PRINCIPAL, req.getAttribute(PRINCIPAL))))
                .build();
    }

    private static Principal principal(io.modelcontextprotocol.server.McpSyncServerExchange ex) {
        Object p = ex.transportContext().get(PRINCIPAL);
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
                    FilterHolder auth = new FilterHolder(new KeyCheck());
                    auth.setAsyncSupported(true);
                    h.addFilter(auth, PATH, EnumSet.of(DispatcherType.REQUEST));
                });
    }

    /** Answers 401 (a problem document) unless the request carries a valid key. */
    private final class KeyCheck implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest req = (HttpServletRequest) request;
            HttpServletResponse res = (HttpServletResponse) response;
            String h = req.getHeader("Authorization");
            String key = null;
            if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
                key = h.substring(7).strip();
            }
            Principal p;
            try {
                p = service.authenticate(key);
            } catch (ApiException e) {
                Map<String, Object> problem = new LinkedHashMap<>();
                problem.put("type", "https://airlock.dev/problems/" + e.type());
                problem.put("title", e.title());
                problem.put("status", e.status());
                problem.put("detail", e.detail());
                problem.put("instance", PATH);
                res.setStatus(e.status());
                res.setHeader("WWW-Authenticate", "Bearer realm=\"airlock\"");
                res.setContentType("application/problem+json");
                res.getOutputStream().write(Json.write(problem));
                return;
            }
            req.setAttribute(PRINCIPAL, p);
            chain.doFilter(request, response);
        }
    }

    @Override
    public void close() {
        try {
            server.closeGracefully();
        } finally {
            schedulers.forEach(Scheduler::dispose);
        }
    }
}
