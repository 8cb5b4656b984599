package dev.airlock.server.http;

import dev.airlock.audit.store.Principal;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.CodeRequest;
import dev.airlock.server.api.ExecutionRequest;
import dev.airlock.server.api.ExecutionResult;
import dev.airlock.server.api.SessionRequest;
import dev.airlock.server.observe.AsyncEnd;
import dev.airlock.server.observe.RequestLog;
import dev.airlock.server.service.AdminService;
import dev.airlock.server.service.AirlockService;
import dev.airlock.server.service.OutputListener;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The REST API's routes, documented in {@code openapi.json}. Everything under {@code /v1} needs
 * {@code Authorization: Bearer KEY}; {@code /healthz}, {@code /metrics}, {@code /openapi.json} and
 * the web console's static files ({@link Console}) do not. Errors are problem details ({@link
 * Problems}).
 */
public final class HttpApi {
    static final String PRINCIPAL = RequestLog.PRINCIPAL;

    private final AirlockService service;
    private final AdminService admin;
    private final PrometheusMeterRegistry metrics;
    private final long maxBody;
    private final byte[] openApi;
    private final java.util.concurrent.atomic.AtomicInteger inFlight =
            new java.util.concurrent.atomic.AtomicInteger();

    public HttpApi(
            AirlockService service,
            AdminService admin,
            PrometheusMeterRegistry metrics,
            long maxBody) {
        this.service = service;
        this.admin = admin;
        this.metrics = metrics;
        this.maxBody = maxBody;
        try (InputStream in = HttpApi.class.getResourceAsStream("openapi.json")) {
            this.openApi = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("openapi.json is missing from the server jar", e);
        }
    }

    /**
     * How long stopping the server waits for responses still being written once no request is being
     * handled (see {@link #awaitIdle}).
     */
    private static final long STOP_GRACE_MILLIS = 2_000;

    /** Registers the routes and error handling on a Javalin configuration. */
    public void configure(JavalinConfig config) {
        config.http.maxRequestSize = maxBody;
        config.http.defaultContentType = "application/json";
        config.jetty.modifyServer(
                s -> {
                    s.setErrorHandler(new ProblemErrorHandler());
                    // stopping waits (this long at most) for responses still being written
                    s.setStopTimeout(STOP_GRACE_MILLIS);
                });
        config.jetty.modifyServletContextHandler(
                h -> {
                    h.setErrorHandler(new ProblemErrorHandler());
                    // an API request counts as in flight until its response has left, so that a
                    // drain never stops the server between a handler's end and the last byte
                    FilterHolder counter = new FilterHolder(this::countInFlight);
                    counter.setAsyncSupported(true);
                    h.addFilter(counter, "/v1/*", EnumSet.of(DispatcherType.REQUEST));
                    // the count above may end before Jetty has written all of a response (a
                    // drain once cut one off mid-chunk): Jetty's own count ends after that
                    h.insertHandler(new GracefulHandler());
                });
        var r = config.routes;
        // made once: answering needs no JSON writer and next to no heap, even when it is scarce
        Health health = new Health(service);
        r.get("/healthz", health::answer);
        r.get(
                "/metrics",
                ctx -> {
                    ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
                    ctx.result(metrics.scrape());
                });
        r.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        r.before("/v1/*", this::authenticate);

        r.post("/v1/executions", this::execute);
        r.post(
                "/v1/executions/portable",
                ctx ->
                        json(
                                ctx,
                                200,
                                service.portable(who(ctx), body(ctx, ExecutionRequest.class))));
        r.post(
                "/v1/sessions",
                ctx ->
                        json(
                                ctx,
                                201,
                                service.createSession(who(ctx), body(ctx, SessionRequest.class))));
        r.get(
                "/v1/sessions",
                ctx -> json(ctx, 200, Map.of("sessions", service.sessions(who(ctx)))));
        r.get(
                "/v1/sessions/{id}",
                ctx -> json(ctx, 200, service.session(who(ctx), ctx.pathParam("id"))));
        r.delete(
                "/v1/sessions/{id}",
                ctx -> {
                    service.closeSession(who(ctx), ctx.pathParam("id"));
                    ctx.status(204);
                });
        r.post("/v1/sessions/{id}/executions", this::executeInSession);
        r.get(
                "/v1/sessions/{id}/files",
                ctx ->
                        json(
                                ctx,
                                200,
                                Map.of("files", service.files(who(ctx), ctx.pathParam("id")))));
        r.put(
                "/v1/sessions/{id}/files/<path>",
                ctx -> {
                    service.upload(who(ctx), ctx.pathParam("id"), ctx.pathParam("path"), raw(ctx));
                    ctx.status(204);
                });
        r.get(
                "/v1/sessions/{id}/files/<path>",
                ctx -> {
                    byte[] content =
                            service.download(who(ctx), ctx.pathParam("id"), ctx.pathParam("path"));
                    ctx.contentType("application/octet-stream").result(content);
                });
        r.post(
                "/v1/sessions/{id}/snapshots",
                ctx -> json(ctx, 201, service.snapshot(who(ctx), ctx.pathParam("id"))));
        r.post(
                "/v1/sessions/{id}/restore",
                ctx -> {
                    RestoreRequest req = body(ctx, RestoreRequest.class);
                    json(
                            ctx,
                            200,
                            service.restore(who(ctx), ctx.pathParam("id"), req.snapshotId()));
                });
        r.post(
                "/v1/sessions/{id}/interrupt",
                ctx -> {
                    service.interrupt(who(ctx), ctx.pathParam("id"));
                    ctx.status(204);
                });
        r.post(
                "/v1/sessions/{id}/fork",
                ctx -> json(ctx, 201, service.fork(who(ctx), ctx.pathParam("id"))));
        RunRoutes.register(r, service);

        SkillRoutes.register(r, service, this::raw);

        AdminRoutes.register(r, admin, (ctx, type) -> body(ctx, type));
        Console.configure(config);

        r.exception(ApiException.class, (e, ctx) -> Problems.write(ctx, e));
        r.exception(
                Exception.class,
                (e, ctx) -> {
                    if (e instanceof io.javalin.http.HttpResponseException h) {
                        Problems.write(ctx, fromJavalin(h));
                        return;
                    }
                    System.getLogger("airlock.server")
                            .log(System.Logger.Level.ERROR, "request failed: " + ctx.path(), e);
                    Problems.write(ctx, Problems.internal());
                });
        r.error(404, "*", ctx -> notFoundIfEmpty(ctx));
        r.error(405, "*", ctx -> notFoundIfEmpty(ctx));
    }

    private void countInFlight(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        inFlight.incrementAndGet();
        boolean later = false;
        try {
            chain.doFilter(req, res);
            if (req.isAsyncStarted()) {
                // answered on another thread: counted until that answer is complete
                req.getAsyncContext().addListener(new AsyncEnd(inFlight::decrementAndGet));
                later = true;
            } else if (bodyFinished(req)) {
                // (a response committed while the request's body is still unread could no
                // longer say Connection: close before Jetty drops the connection)
                res.flushBuffer();
            }
        } finally {
            if (!later) {
                inFlight.decrementAndGet();
            }
        }
    }

    private static boolean bodyFinished(ServletRequest req) {
        try {
            return req.getInputStream().isFinished();
        } catch (IOException | IllegalStateException e) {
            return false;
        }
    }

    /**
     * Waits until no request is being handled and its response sent, up to {@code timeout}.
     *
     * @return whether none is
     */
    public boolean awaitIdle(java.time.Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > end) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** {@code POST /v1/sessions/{id}/restore}: which snapshot. */
    record RestoreRequest(String snapshotId) {}

    private static ApiException fromJavalin(io.javalin.http.HttpResponseException h) {
        int s = h.getStatus();
        if (s == 413) {
            return ApiException.tooLarge("the request body is too large");
        }
        if (s == 404) {
            return ApiException.notFound("no such resource");
        }
        return new ApiException(s, "http-" + s, h.getMessage(), h.getMessage(), 0);
    }

    private static void notFoundIfEmpty(Context ctx) {
        String ct = ctx.res().getContentType();
        if (ct == null || !ct.startsWith(Problems.CONTENT_TYPE)) {
            Problems.write(
                    ctx,
                    ApiException.notFound("no such resource: " + ctx.method() + " " + ctx.path()));
        }
    }

    private void authenticate(Context ctx) {
        String h = ctx.header("Authorization");
        String key = null;
        if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = h.substring(7).strip();
        }
        Principal p = service.authenticate(key);
        ctx.attribute(PRINCIPAL, p);
    }

    static Principal who(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw ApiException.unauthorized();
        }
        return p;
    }

    private void execute(Context ctx) {
        ExecutionRequest req = body(ctx, ExecutionRequest.class);
        Principal who = who(ctx);
        respond(ctx, listener -> service.execute(who, req, listener));
    }

    private void executeInSession(Context ctx) {
        CodeRequest req = body(ctx, CodeRequest.class);
        Principal who = who(ctx);
        String id = ctx.pathParam("id");
        respond(ctx, listener -> service.runInSession(who, id, req, listener));
    }

    /** Answers with JSON, or as server-sent events when the client asks for them. */
    private void respond(Context ctx, Function<OutputListener, ExecutionResult> run) {
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            json(ctx, 200, run.apply(OutputListener.NONE));
            return;
        }
        ctx.status(200);
        ctx.contentType("text/event-stream");
        ctx.header("Cache-Control", "no-cache");
        EventStream stream;
        try {
            stream = new EventStream(ctx.res().getOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExecutionResult result;
        try {
            result = run.apply(stream);
        } catch (ApiException e) {
            stream.finish("error", Problems.body(ctx, e));
            return;
        }
        RequestLog.noteResult(ctx.req(), result);
        stream.finish("result", result);
    }

    static void json(Context ctx, int status, Object value) {
        RequestLog.noteResult(ctx.req(), value);
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(Json.write(value));
    }

    private <T> T body(Context ctx, Class<T> type) {
        String ct = ctx.contentType();
        if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw Problems.unsupportedMediaType("application/json");
        }
        return Json.read(raw(ctx), type);
    }

    /**
     * How much of a body over the limit is still read (and dropped) before the 413 is sent: a
     * client that is still sending it then reads the answer, instead of a connection reset under
     * it. Larger bodies are answered at once and their connection closed.
     */
    private static final long SWALLOW = 1L << 20;

    /** The body, refusing more than the configured size with 413 before reading it all. */
    private byte[] raw(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBody) {
            if (declared - maxBody <= SWALLOW) {
                discard(ctx, declared);
            }
            throw ApiException.tooLarge(
                    "the request body is " + declared + " bytes; at most " + maxBody + " allowed");
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
            if (b.length > maxBody) {
                discard(ctx, maxBody + SWALLOW);
                throw ApiException.tooLarge("the request body is over " + maxBody + " bytes");
            }
            return b;
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the request body: " + e.getMessage());
        }
    }

    /** Reads and drops up to {@code limit} bytes of the request body (errors end it quietly). */
    private static void discard(Context ctx, long limit) {
        byte[] buf = new byte[8192];
        long left = limit;
        try {
            InputStream in = ctx.req().getInputStream();
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            // the client went away: the 413 is sent (or not) all the same
        }
    }
}
