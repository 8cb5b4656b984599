package dev.airlock.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.http.Json;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The transport's response, with its error answers replaced: the SDK writes its exceptions as JSON
 * (stack frames and all) and {@code sendError} would be an HTML page; here an error status gets a
 * JSON-RPC error of our own wording instead, which depends on the status only. Also reports the
 * session id the transport hands out, so the gate can bind it to the tenant.
 */
final class CleanErrors extends HttpServletResponseWrapper {
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int INTERNAL_ERROR = -32603;

    /** Not a JSON-RPC code of the specification: the server-defined range, for "no session". */
    static final int NO_SESSION = -32001;

    private final Consumer<String> onSession;
    private int status = SC_OK;
    private boolean dropped;

    CleanErrors(HttpServletResponse response, Consumer<String> onSession) {
        super(response);
        this.onSession = onSession;
    }

    int status() {
        return status;
    }

    @Override
    public void setStatus(int sc) {
        status = sc;
        super.setStatus(sc);
    }

    @Override
    public void sendError(int sc) throws IOException {
        status = sc;
        rpcError((HttpServletResponse) getResponse(), sc, null);
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        sendError(sc);
    }

    @Override
    public void setHeader(String name, String value) {
        seen(name, value);
        super.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        seen(name, value);
        super.addHeader(name, value);
    }

    private void seen(String name, String value) {
        if (value != null && McpGate.SESSION_HEADER.equalsIgnoreCase(name)) {
            onSession.accept(value);
        }
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (status >= 400) {
            dropped = true;
            return new PrintWriter(Writer.nullWriter());
        }
        return super.getWriter();
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (status >= 400) {
            dropped = true;
            return new Discard();
        }
        return super.getOutputStream();
    }

    /** Writes our error in place of the one the transport wrote, if it wrote one. */
    void finish() throws IOException {
        if (dropped && !isCommitted()) {
            rpcError((HttpServletResponse) getResponse(), status, null);
        }
    }

    /** A JSON-RPC error for a status, in words that depend on the status only. */
    static void rpcError(HttpServletResponse res, int status, JsonNode id) throws IOException {
        int code;
        String message;
        switch (status) {
            case 400 -> {
                code = INVALID_REQUEST;
                message = "invalid request: the message, its headers or its session are wrong";
            }
            case 404 -> {
                code = NO_SESSION;
                message = "no such MCP session: initialize a new one";
            }
            case 405 -> {
                code = INVALID_REQUEST;
                message = "the method is not allowed on /mcp";
            }
            case 503 -> {
                code = INTERNAL_ERROR;
                message = "the server is shutting down";
            }
            default -> {
                code = status >= 500 ? INTERNAL_ERROR : INVALID_REQUEST;
                message =
                        status >= 500
                                ? "the server failed to handle the message; it has been logged"
                                : "the message cannot be handled (HTTP " + status + ")";
            }
        }
        rpcError(res, status, id, code, message);
    }

    /** Answers with a JSON-RPC error object. */
    static void rpcError(HttpServletResponse res, int status, JsonNode id, int code, String message)
            throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", id);
        body.put("error", error);
        res.resetBuffer();
        res.setStatus(status);
        res.setContentType("application/json");
        res.setCharacterEncoding("UTF-8");
        byte[] bytes = Json.write(body);
        res.setContentLength(bytes.length);
        res.getOutputStream().write(bytes);
    }

    /** Where the transport's own error body goes. */
    private static final class Discard extends ServletOutputStream {
        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new IllegalStateException("not asynchronous");
        }

        @Override
        public void write(int b) {
            // dropped
        }
    }
}
