package dev.airlock.server.observe;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;

/**
 * The server spans of HTTP requests when the server traces: each request is answered in a span of
 * kind {@code SERVER}, a child of the incoming {@code traceparent} when it is well-formed, named
 * after its method and route template once the route is known, with the attributes of the
 * OpenTelemetry HTTP conventions plus the request id, tenant and run id.
 */
final class RequestSpans {
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("airlock.request.id");
    static final AttributeKey<String> TENANT = AttributeKey.stringKey("airlock.tenant");
    static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("airlock.run.id");

    private static final TextMapGetter<HttpServletRequest> HEADERS =
            new TextMapGetter<>() {
                @Override
                public Iterable<String> keys(HttpServletRequest r) {
                    return Collections.list(r.getHeaderNames());
                }

                @Override
                public String get(HttpServletRequest r, String key) {
                    return r == null ? null : r.getHeader(key);
                }
            };

    private final Tracer tracer;

    RequestSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** A request's span, started now. */
    Open start(HttpServletRequest req, String method, String requestId) {
        Context parent =
                W3CTraceContextPropagator.getInstance().extract(Context.root(), req, HEADERS);
        Span span =
                tracer.spanBuilder(method)
                        .setParent(parent)
                        .setSpanKind(SpanKind.SERVER)
                        .setAttribute(METHOD, method)
                        .setAttribute(PATH, req.getRequestURI())
                        .setAttribute(REQUEST_ID, requestId)
                        .startSpan();
        return new Open(span, parent.with(span));
    }

    /** A request's span under way, and the context its runs are traced in. */
    record Open(Span span, Context context) {
        /** The {@code traceparent} the response names: this span. */
        TraceContext trace() {
            return TraceContext.of(span.getSpanContext());
        }

        /** Ends the span with the response's status. */
        void end(String method, String route, int status, String tenant, String runId) {
            if (route != null) {
                span.updateName(method + " " + route);
                span.setAttribute(ROUTE, route);
            }
            span.setAttribute(STATUS, (long) status);
            if (tenant != null) {
                span.setAttribute(TENANT, tenant);
            }
            if (runId != null) {
                span.setAttribute(RUN_ID, runId);
            }
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }
    }
}
