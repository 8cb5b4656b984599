package dev.airlock.server.observe;

import dev.airlock.audit.store.Principal;
import dev.airlock.audit.store.RunOrigin;
import dev.airlock.core.time.Ticker;
import dev.airlock.server.api.ExecutionResult;
import dev.airlock.server.service.Origins;
import dev.airlock.server.service.SkillService;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.context.Context;
import jakarta.servlet.DispatcherType;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.FilterHolder;

/**
 * What the server notes of each HTTP request: its request id (a well-formed incoming {@code
 * X-Request-Id}, else a new one) and its span in a W3C trace ({@link TraceContext}), both answered
 * in headers and kept as request attributes for error bodies; one line in the {@link ServerLog}
 * once the response has left (method, path without the query, status, duration, tenant, run id,
 * request and trace ids); and the {@code airlock.http.server.requests} timer by route template and
 * status class. Durations come from the injected {@link Ticker}.
 */
public final class RequestLog implements AutoCloseable {
    /** The request attribute holding the request id. */
    public static final String REQUEST_ID = "airlock.requestId";

    /** The request attribute holding the {@link TraceContext}. */
    public static final String TRACE = "airlock.trace";

    /** The request attribute holding the id of the run the request made. */
    public static final String RUN_ID = "airlock.runId";

    /** The request attribute holding the authenticated {@link Principal}. */
    public static final String PRINCIPAL = "airlock.principal";

    /** The response header of the request id. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private static final String ROUTE = "airlock.route";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private final ServerLog log;
    private final Ticker ticker;
    private final MeterRegistry meters;
    private final JulBridge bridge;
    private final JulBridge tracesBridge;
    private final RequestSpans spans;

    /**
     * @param log where lines go
     * @param ticker the source of durations
     * @param meters where the request timer goes
     */
    public RequestLog(ServerLog log, Ticker ticker, MeterRegistry meters) {
        this(log, ticker, meters, null);
    }

    /**
     * A request log that also answers each request in a server span ({@link RequestSpans}).
     *
     * @param tracer where request spans go; null: none (the {@code traceparent} answered is then a
     *     span id of the server's own)
     */
    public RequestLog(
            ServerLog log,
            Ticker ticker,
            MeterRegistry meters,
            io.opentelemetry.api.trace.Tracer tracer) {
        this.spans = tracer == null ? null : new RequestSpans(tracer);
        this.log = java.util.Objects.requireNonNull(log, "log");
        this.ticker = java.util.Objects.requireNonNull(ticker, "ticker");
        this.meters = java.util.Objects.requireNonNull(meters, "meters");
        this.bridge = log.enabled() ? JulBridge.install(log, CURRENT::get) : null;
        // the trace exporter's complaints (an unreachable collector) in the same log
        this.tracesBridge =
                log.enabled() && tracer != null
                        ? JulBridge.install(log, CURRENT::get, "io.opentelemetry")
                        : null;
    }

    /** Registers the filter (on every path) and the route capture on a Javalin configuration. */
    public void configure(JavalinConfig config) {
        config.jetty.modifyServletContextHandler(
                h -> {
                    FilterHolder holder = new FilterHolder(this::filter);
                    holder.setAsyncSupported(true);
                    h.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
                });
        config.routes.after(
                ctx -> {
                    try {
                        var e = ctx.endpoints().matchedHttpEndpoint();
                        if (e != null) {
                            ctx.req().setAttribute(ROUTE, e.path);
                        }
                    } catch (RuntimeException none) {
                        // no endpoint matched: the route stays "unmatched"
                    }
                });
    }

    /** Notes the run a response names (an execution's or a skill call's result), if any. */
    public static void noteResult(HttpServletRequest req, Object value) {
        String runId = null;
        if (value instanceof ExecutionResult x) {
            runId = x.runId();
        } else if (value instanceof SkillService.CallResult c) {
            runId = c.runId();
        }
        if (runId != null) {
            req.setAttribute(RUN_ID, runId);
        }
    }

    /**
     * Names the route of a request that no API route serves (the MCP endpoint), for its log line,
     * timer and span.
     */
    public static void noteRoute(HttpServletRequest req, String route) {
        req.setAttribute(ROUTE, route);
    }

    /** The request id of a request (null before the filter saw it). */
    public static String requestId(HttpServletRequest req) {
        return req.getAttribute(REQUEST_ID) instanceof String s ? s : null;
    }

    /** An incoming request id if it is well-formed (1 to 128 of A-Z a-z 0-9 . _ : -), else new. */
    static String acceptRequestId(String incoming) {
        if (incoming != null && SAFE_ID.matcher(incoming).matches()) {
            return incoming;
        }
        return UUID.randomUUID().toString();
    }

    private void filter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse res = (HttpServletResponse) response;
        long start = ticker.nanos();
        String id = acceptRequestId(req.getHeader(REQUEST_ID_HEADER));
        RequestSpans.Open span = spans == null ? null : spans.start(req, method(req), id);
        TraceContext trace =
                span == null
                        ? TraceContext.continueOrStart(req.getHeader("traceparent"))
                        : span.trace();
        req.setAttribute(REQUEST_ID, id);
        req.setAttribute(TRACE, trace);
        res.setHeader(REQUEST_ID_HEADER, id);
        res.setHeader("traceparent", trace.header());
        CURRENT.set(id);
        boolean later = false;
        RunOrigin origin = new RunOrigin(id, trace.traceId());
        try (Origins.Scope o =
                Origins.enter(origin, span == null ? Context.root() : span.context())) {
            chain.doFilter(request, response);
            if (req.isAsyncStarted()) {
                req.getAsyncContext()
                        .addListener(new AsyncEnd(() -> finish(req, res, start, span)));
                later = true;
            }
        } finally {
            CURRENT.remove();
            if (!later) {
                finish(req, res, start, span);
            }
        }
    }

    private static String method(HttpServletRequest req) {
        return METHODS.contains(req.getMethod()) ? req.getMethod() : "OTHER";
    }

    private void finish(
            HttpServletRequest req, HttpServletResponse res, long start, RequestSpans.Open span) {
        long nanos = Math.max(0, ticker.nanos() - start);
        int status = res.getStatus();
        String method = method(req);
        String matched = req.getAttribute(ROUTE) instanceof String r ? r : null;
        String route = matched == null ? "unmatched" : matched;
        if (span != null) {
            span.end(
                    method,
                    matched,
                    status,
                    req.getAttribute(PRINCIPAL) instanceof Principal p ? p.tenant() : null,
                    req.getAttribute(RUN_ID) instanceof String run ? run : null);
        }
        Timer.builder("airlock.http.server.requests")
                .description("HTTP requests answered, by method, route template and status class")
                .tags("method", method, "route", route, "status", (status / 100) + "xx")
                .register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
        if (!log.enabled()) {
            return;
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("method", method);
        f.put("path", req.getRequestURI());
        f.put("status", status);
        f.put("duration_ms", TimeUnit.NANOSECONDS.toMillis(nanos));
        if (req.getAttribute(PRINCIPAL) instanceof Principal p) {
            f.put("tenant", p.tenant());
        }
        f.put("run_id", req.getAttribute(RUN_ID));
        f.put("request_id", req.getAttribute(REQUEST_ID));
        if (req.getAttribute(TRACE) instanceof TraceContext t) {
            f.put("trace_id", t.traceId());
            f.put("span_id", t.spanId());
        }
        log.request(f);
    }

    /** Stops passing the server's own warnings to the log. */
    @Override
    public void close() {
        if (bridge != null) {
            bridge.uninstall();
        }
        if (tracesBridge != null) {
            tracesBridge.uninstall();
        }
    }
}
