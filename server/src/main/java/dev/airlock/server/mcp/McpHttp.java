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
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * MCP over streamable HTTP at {@code /mcp}, beside the REST API: the same API keys ({@code
 * Authorization: Bearer KEY}; without a valid one, 401 before any MCP processing) and each call
 * runs as its key's tenant.
 */
public final class McpHttp implements AutoCloseable {
    /** Where MCP is served. */
    public static final String PATH = "/mcp";

    private static final String PRINCIPAL = "airlock.mcp.principal";

    private final AirlockService service;
    private final HttpServletStreamableServerTransportProvider transport;
    private final McpSyncServer server;

    public McpHttp(AirlockService service, int maxRequestBytes) {
        this.service = service;
        JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(Json.MAPPER);
        this.transport =
                HttpServletStreamableServerTransportProvider.builder()
                        .jsonMapper(mapper)
                        .mcpEndpoint(PATH)
                        .maxRequestSize(maxRequestBytes)
                        .contextExtractor(
                                req ->
                                        McpTransportContext.create(
                                                Map.of(PRINCIPAL, req.getAttribute(PRINCIPAL))))
                        .build();
        this.server =
                McpServers.configure(McpServer.sync(transport), service, McpHttp::principal)
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
        server.closeGracefully();
    }
}
