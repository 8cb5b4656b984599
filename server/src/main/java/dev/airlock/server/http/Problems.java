package dev.airlock.server.http;

import dev.airlock.server.api.ApiException;
import dev.airlock.server.observe.RequestLog;
import dev.airlock.server.observe.TraceContext;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 9457 problem details: every error the HTTP API returns. */
final class Problems {
    static final String CONTENT_TYPE = "application/problem+json";
    static final String TYPE_BASE = "https://airlock.dev/problems/";

    private Problems() {}

    /** Writes the problem as the response, with Retry-After for 429 and 503. */
    static void write(Context ctx, ApiException e) {
        Map<String, Object> p = body(ctx, e);
        // (set again: an exception may have reset the response's headers)
        String id = RequestLog.requestId(ctx.req());
        if (id != null) {
            ctx.header(RequestLog.REQUEST_ID_HEADER, id);
        }
        if (ctx.req().getAttribute(RequestLog.TRACE) instanceof TraceContext t) {
            ctx.header("traceparent", t.header());
        }
        ctx.status(e.status());
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        if (e.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"airlock\"");
        }
        ctx.contentType(CONTENT_TYPE);
        ctx.result(Json.write(p));
    }

    /** The problem document, with the request's id (to quote when reporting it) if it has one. */
    static Map<String, Object> body(Context ctx, ApiException e) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", TYPE_BASE + e.type());
        p.put("title", e.title());
        p.put("status", e.status());
        p.put("detail", e.detail());
        p.put("instance", ctx.path());
        String id = RequestLog.requestId(ctx.req());
        if (id != null) {
            p.put("requestId", id);
        }
        return p;
    }

    /** A 500 that shows nothing of the server's internals. */
    static ApiException internal() {
        return new ApiException(
                500,
                "internal",
                "Internal server error",
                "the server failed to handle the request; it has been logged",
                0);
    }

    /** 415 for a body that is not of the expected media type. */
    static ApiException unsupportedMediaType(String expected) {
        return new ApiException(
                415,
                "unsupported-media-type",
                "Unsupported media type",
                "the body must be " + expected,
                0);
    }
}
