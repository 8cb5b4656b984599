package dev.airlock.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.audit.store.Principal;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.http.Json;
import dev.airlock.server.observe.RequestLog;
import dev.airlock.server.service.AirlockService;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every request to {@code /mcp} passes before the SDK's transport sees it: a valid key (401
 * otherwise), a transport session that belongs to the key's tenant (404 otherwise, the same answer
 * as for an id that never existed), one of the methods MCP uses (GET, POST, DELETE; 405 otherwise),
 * and for a POST a body that is one JSON-RPC 2.0 message (a JSON-RPC error otherwise). Errors the
 * transport itself still answers go through {@link CleanErrors}, so no client ever sees a Java
 * exception or an HTML page.
 */
final class McpGate implements Filter {
    /** The request attribute holding the caller's {@link Principal}. */
    static final String PRINCIPAL = "airlock.mcp.principal";

    static final String SESSION_HEADER = "Mcp-Session-Id";

    private final AirlockService service;
    private final int maxRequestBytes;

    /** Transport session id to the tenant that initialized it. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    McpGate(AirlockService service, int maxRequestBytes) {
        this.service = service;
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse res = (HttpServletResponse) response;
        RequestLog.noteRoute(req, McpHttp.PATH);
        Principal p;
        try {
            p = service.authenticate(bearer(req));
        } catch (ApiException e) {
            discard(req);
            unauthorized(res, e);
            return;
        }
        req.setAttribute(PRINCIPAL, p);
        String method = req.getMethod();
        if (!method.equals("POST") && !method.equals("GET") && !method.equals("DELETE")) {
            // TRACE would echo the request back (the servlet's default), the rest mean nothing
            discard(req);
            res.setHeader("Allow", "GET, POST, DELETE");
            CleanErrors.rpcError(res, 405, null);
            return;
        }
        String tenant = p.tenant();
        String session = req.getHeader(SESSION_HEADER);
        if (session != null && !tenant.equals(owners.get(session))) {
            discard(req);
            CleanErrors.rpcError(res, 404, null);
            return;
        }
        HttpServletRequest forward = req;
        if (method.equals("POST")) {
            byte[] body = read(req, res);
            if (body == null) {
                return;
            }
            JsonNode message = message(body, res);
            if (message == null) {
                return;
            }
            boolean initialize = "initialize".equals(message.path("method").asText(null));
            if (session == null && !initialize) {
                CleanErrors.rpcError(
                        res,
                        400,
                        message.get("id"),
                        CleanErrors.INVALID_REQUEST,
                        "the Mcp-Session-Id header is required: send initialize first");
                return;
            }
            forward = new BodyRequest(req, body);
        }
        CleanErrors guard = new CleanErrors(res, id -> owners.put(id, tenant));
        chain.doFilter(forward, guard);
        guard.finish();
        if (session != null && method.equals("DELETE") && guard.status() < 300) {
            owners.remove(session, tenant);
        }
    }

    /** Forgets every session (the transport is closing). */
    void clear() {
        owners.clear();
    }

    private static String bearer(HttpServletRequest req) {
        String h = req.getHeader("Authorization");
        if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return h.substring(7).strip();
        }
        return null;
    }

    /**
     * Reads and drops a body within the size limit before an early answer: a body left unread makes
     * the server close the connection, and a client that reuses it for its next request sees that
     * request fail with no answer at all. A body over the limit is left (the connection closes, as
     * for a 413).
     */
    private void discard(HttpServletRequest req) {
        long declared = req.getContentLengthLong();
        if (declared == 0 || declared > maxRequestBytes) {
            return;
        }
        try (InputStream in = req.getInputStream()) {
            byte[] buf = new byte[8192];
            long left = maxRequestBytes + 1L;
            for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; ) {
                left -= n;
            }
        } catch (IOException e) {
            // the answer is sent all the same; the connection may then close
        }
    }

    /** The body, or null after answering 413 for one over the limit. */
    private byte[] read(HttpServletRequest req, HttpServletResponse res) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared <= maxRequestBytes) {
            try (InputStream in = req.getInputStream()) {
                byte[] b = in.readNBytes(maxRequestBytes + 1);
                if (b.length <= maxRequestBytes) {
                    return b;
                }
            }
        }
        CleanErrors.rpcError(
                res,
                413,
                null,
                CleanErrors.INVALID_REQUEST,
                "the message is over " + maxRequestBytes + " bytes");
        return null;
    }

    /** The body as one JSON-RPC 2.0 message, or null after answering 400. */
    private static JsonNode message(byte[] body, HttpServletResponse res) throws IOException {
        JsonNode m;
        try {
            m = Json.read(body, JsonNode.class);
        } catch (ApiException e) {
            CleanErrors.rpcError(res, 400, null, CleanErrors.PARSE_ERROR, e.detail());
            return null;
        }
        JsonNode id = m.get("id");
        boolean ok =
                m.isObject()
                        && "2.0".equals(m.path("jsonrpc").asText(null))
                        && (id == null || id.isTextual() || id.isIntegralNumber())
                        && (m.path("method").isTextual() || m.has("result") || m.has("error"));
        if (!ok) {
            CleanErrors.rpcError(
                    res,
                    400,
                    id != null && (id.isTextual() || id.isIntegralNumber()) ? id : null,
                    CleanErrors.INVALID_REQUEST,
                    "one JSON-RPC 2.0 message object is expected ('jsonrpc': '2.0' and a"
                            + " 'method', 'result' or 'error'; batches are not accepted)");
            return null;
        }
        return m;
    }

    private static void unauthorized(HttpServletResponse res, ApiException e) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://airlock.dev/problems/" + e.type());
        problem.put("title", e.title());
        problem.put("status", e.status());
        problem.put("detail", e.detail());
        problem.put("instance", McpHttp.PATH);
        res.setStatus(e.status());
        res.setHeader("WWW-Authenticate", "Bearer realm=\"airlock\"");
        res.setContentType("application/problem+json");
        res.getOutputStream().write(Json.write(problem));
    }
}
