package dev.airlock.server.mcp;

import dev.airlock.audit.store.RunOrigin;
import dev.airlock.server.observe.RequestLog;
import dev.airlock.server.observe.TraceContext;
import dev.airlock.server.service.Origins;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The request and trace a tool call belongs to, so that the runs it makes are recorded (and traced)
 * with them, and its result names them in {@code _meta}: {@value #REQUEST_ID} and {@value
 * #TRACEPARENT}.
 *
 * <p>Over HTTP a call belongs to its HTTP request (its {@code X-Request-Id} and trace), which the
 * transport captures on the request's thread ({@link #capture()}), because the SDK runs tool calls
 * on threads of its own. Over stdio each call gets a request id {@code mcp-UUID}. A well-formed
 * {@code traceparent} in the call's own {@code _meta} (as MCP clients propagate traces) continues
 * that trace instead. When the server traces, each call is a span {@code tools/call NAME}.
 */
final class McpOrigins {
    /** The result's {@code _meta} key of the request id. */
    static final String REQUEST_ID = "dev.airlock/requestId";

    /** The result's {@code _meta} key of the {@code traceparent} the call was answered in. */
    static final String TRACEPARENT = "dev.airlock/traceparent";

    /** The transport context's key of the captured HTTP request. */
    static final String KEY = "airlock.origin";

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("mcp.method.name");
    private static final AttributeKey<String> TOOL = AttributeKey.stringKey("gen_ai.tool.name");
    private static final AttributeKey<String> REQUEST =
            AttributeKey.stringKey("airlock.request.id");

    private static final TextMapGetter<Map<String, Object>> META =
            new TextMapGetter<>() {
                @Override
                public Iterable<String> keys(Map<String, Object> m) {
                    return m.keySet();
                }

                @Override
                public String get(Map<String, Object> m, String key) {
                    return m != null && m.get(key) instanceof String s ? s : null;
                }
            };

    /** An HTTP request as the transport saw it. */
    private record Captured(String requestId, TraceContext trace, Context context) {}

    private final Tracer tracer;

    /**
     * @param tracer where call spans go; null: none
     */
    McpOrigins(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * The HTTP request being handled on this thread, for the transport's context; null if the
     * request log did not see it.
     */
    static Object capture(HttpServletRequest req) {
        String id = RequestLog.requestId(req);
        if (id == null || !(req.getAttribute(RequestLog.TRACE) instanceof TraceContext t)) {
            return null;
        }
        return new Captured(id, t, Origins.trace());
    }

    /** The handler, run in its call's origin. */
    BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest, McpSchema.CallToolResult> wrap(
            String tool,
            BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest, McpSchema.CallToolResult>
                    handler) {
        return (ex, req) -> call(ex, req, tool, handler);
    }

    private McpSchema.CallToolResult call(
            McpSyncServerExchange ex,
            McpSchema.CallToolRequest req,
            String tool,
            BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest, McpSchema.CallToolResult>
                    handler) {
        McpTransportContext ctx = ex.transportContext();
        Captured http = ctx != null && ctx.get(KEY) instanceof Captured c ? c : null;
        String requestId = http != null ? http.requestId() : "mcp-" + UUID.randomUUID();
        String incoming =
                req.meta() != null && req.meta().get("traceparent") instanceof String s ? s : null;
        TraceContext trace;
        Context parent;
        if (TraceContext.isValid(incoming)) {
            trace = TraceContext.continueOrStart(incoming);
            parent =
                    W3CTraceContextPropagator.getInstance()
                            .extract(Context.root(), req.meta(), META);
        } else if (http != null) {
            trace = http.trace();
            parent = http.context();
        } else {
            trace = TraceContext.continueOrStart(null);
            parent = Context.root();
        }
        Span span = null;
        if (tracer != null) {
            span =
                    tracer.spanBuilder("tools/call " + tool)
                            .setParent(parent)
                            .setSpanKind(http == null ? SpanKind.SERVER : SpanKind.INTERNAL)
                            .setAttribute(METHOD, "tools/call")
                            .setAttribute(TOOL, tool)
                            .setAttribute(REQUEST, requestId)
                            .startSpan();
            parent = parent.with(span);
            trace = TraceContext.of(span.getSpanContext());
        }
        try (Origins.Scope s = Origins.enter(new RunOrigin(requestId, trace.traceId()), parent)) {
            McpSchema.CallToolResult r = handler.apply(ex, req);
            if (span != null && Boolean.TRUE.equals(r.isError())) {
                span.setStatus(StatusCode.ERROR);
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            if (r.meta() != null) {
                meta.putAll(r.meta());
            }
            meta.put(REQUEST_ID, requestId);
            meta.put(TRACEPARENT, trace.header());
            return new McpSchema.CallToolResult(
                    r.content(), r.isError(), r.structuredContent(), meta);
        } finally {
            if (span != null) {
                span.end();
            }
        }
    }
}
