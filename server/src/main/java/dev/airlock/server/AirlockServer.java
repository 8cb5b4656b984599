package dev.airlock.server;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Store;
import dev.airlock.audit.store.StoreException;
import dev.airlock.server.http.HttpApi;
import dev.airlock.server.mcp.McpHttp;
import dev.airlock.server.observe.RequestLog;
import dev.airlock.server.observe.ServerLog;
import dev.airlock.server.observe.Tracing;
import dev.airlock.server.service.AdminService;
import dev.airlock.server.service.AirlockService;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running Airlock server: the HTTP API (and the MCP endpoint) over an {@link AirlockService}.
 *
 * <pre>{@code
 * try (AirlockServer server = AirlockServer.start(ServerConfig.defaults(), Path.of("data"))) {
 *     System.out.println(server.uri());
 * }
 * }</pre>
 */
public final class AirlockServer implements AutoCloseable {
    /** How often the server looks for skills installed or removed by others, in seconds. */
    static final int SKILL_POLL_SECONDS = 5;

    private final Store store;
    private final boolean ownsStore;
    private final AirlockService service;
    private final Javalin app;
    private final HttpApi api;
    private final McpHttp mcp;
    private final RequestLog requests;
    private final Tracing tracing;
    private final ScheduledExecutorService sweeper;

    /**
     * How often a node on a shared store says it is alive (see {@code Store.SILENT_NODE_MILLIS}).
     */
    private static final long HEARTBEAT_SECONDS = 3;

    private final String scheme;
    private final String host;
    private final int port;
    private boolean closed;

    private AirlockServer(
            ServerConfig config,
            Store store,
            boolean ownsStore,
            AuditKeys keys,
            Path skillsData,
            ServerLog log)
            throws StoreException {
        this.store = store;
        this.ownsStore = ownsStore;
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        // first: the service's own warnings while it starts go to the log too
        Tracing tracing = config.newTracing();
        this.tracing = tracing;
        RequestLog requestLog = new RequestLog(log, config.ticker(), metrics, tracing.tracer());
        this.requests = requestLog;
        try {
            this.service =
                    new AirlockService(config, store, keys, metrics, skillsData, tracing.tracer());
        } catch (StoreException | RuntimeException e) {
            requestLog.close();
            tracing.close();
            throw e;
        }
        HttpApi api =
                new HttpApi(
                        service,
                        // a node's chain is verified with the key registered for it in the store
                        new AdminService(store, config.nodeId() == null ? keys.publicKey() : null),
                        metrics,
                        config.maxBodyBytes());
        this.api = api;
        McpHttp mcpHttp =
                new McpHttp(
                        service,
                        (int) Math.min(Integer.MAX_VALUE, config.maxBodyBytes()),
                        tracing.tracer());
        this.mcp = mcpHttp;
        this.host = config.host();
        this.scheme = config.tlsCert() != null ? "https" : "http";
        Javalin javalin;
        try {
            javalin =
                    Javalin.create(
                            c -> {
                                c.startup.showJavalinBanner = false;
                                c.jetty.host = config.host();
                                c.jetty.port = config.port();
                                if (config.tlsCert() != null) {
                                    Tls.configure(c, config);
                                }
                                // the API's in-flight count wraps the request log, so that a
                                // draining server stops only after both are done with a request
                                api.configure(c);
                                requestLog.configure(c);
                                mcpHttp.configure(c);
                            });
            javalin.start();
        } catch (RuntimeException e) {
            requestLog.close();
            closeQuietly();
            tracing.close();
            throw e;
        }
        this.app = javalin;
        this.port = javalin.port();
        this.sweeper =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "airlock-session-sweeper");
                            t.setDaemon(true);
                            return t;
                        });
        long every = Math.max(1, Math.min(30, config.sessionIdleTimeout().toSeconds() / 4));
        if (config.nodeId() != null) {
            every = Math.min(every, 5); // also drops copies of sessions other nodes moved on
            sweeper.scheduleWithFixedDelay(
                    guarded(service::heartbeat),
                    HEARTBEAT_SECONDS,
                    HEARTBEAT_SECONDS,
                    TimeUnit.SECONDS);
        }
        sweeper.scheduleWithFixedDelay(
                guarded(service::expireIdleSessions), every, every, TimeUnit.SECONDS);
        if (service.hasSkills()) {
            // skills installed or removed through another server on the store, or the CLI
            service.skills().pollChanges();
            sweeper.scheduleWithFixedDelay(
                    guarded(service.skills()::pollChanges),
                    SKILL_POLL_SECONDS,
                    SKILL_POLL_SECONDS,
                    TimeUnit.SECONDS);
        }
    }

    /**
     * A periodic task that survives its own failures: a scheduled task that throws (an {@link
     * OutOfMemoryError} while the heap is scarce) is never run again, and idle sessions would then
     * hold their memory for good. The next round tries again.
     */
    static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (OutOfMemoryError e) {
                // nothing to log with: the next round tries again
            } catch (RuntimeException e) {
                System.getLogger("airlock.server")
                        .log(
                                System.Logger.Level.WARNING,
                                "a periodic task (idle sessions, heartbeat or skills) failed",
                                e);
            }
        };
    }

    /**
     * Starts a server on the embedded store in {@code dataDir} (created if needed), with the audit
     * key kept there, serving the skills installed there.
     *
     * @throws IOException if the data folder or store cannot be opened
     */
    public static AirlockServer start(ServerConfig config, Path dataDir) throws IOException {
        return start(config, dataDir, ServerLog.discard());
    }

    /**
     * Starts a server on the embedded store in {@code dataDir}, writing its request log and its own
     * warnings to {@code log}.
     *
     * @throws IOException if the data folder or store cannot be opened
     */
    public static AirlockServer start(ServerConfig config, Path dataDir, ServerLog log)
            throws IOException {
        AuditKeys keys = AuditKeys.loadOrCreate(dataDir);
        Store store = Store.open(dataDir);
        try {
            return new AirlockServer(config, store, true, keys, dataDir, log);
        } catch (StoreException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Starts a server on a store the caller opened (for example PostgreSQL) and keeps it open at
     * the end.
     *
     * @throws IOException if the store cannot be read
     */
    public static AirlockServer start(ServerConfig config, Store store, AuditKeys keys)
            throws IOException {
        return start(config, store, keys, null);
    }

    /**
     * Starts a server on a store the caller opened and keeps it open at the end, serving the skills
     * installed in that store (servers sharing a PostgreSQL store serve the same skills), with the
     * trust store and the skills' cache in {@code skillsData} (no skills if null).
     *
     * @throws IOException if the store cannot be read
     */
    public static AirlockServer start(
            ServerConfig config, Store store, AuditKeys keys, Path skillsData) throws IOException {
        return start(config, store, keys, skillsData, ServerLog.discard());
    }

    /**
     * As {@link #start(ServerConfig, Store, AuditKeys, Path)}, writing the request log and the
     * server's own warnings to {@code log}.
     *
     * @throws IOException if the store cannot be read
     */
    public static AirlockServer start(
            ServerConfig config, Store store, AuditKeys keys, Path skillsData, ServerLog log)
            throws IOException {
        return new AirlockServer(config, store, false, keys, skillsData, log);
    }

    /**
     * As {@link #start(ServerConfig, Store, AuditKeys, Path)}, and closes {@code store} when it
     * stops (also when it fails to start): for a node that opened its own connection to a shared
     * database.
     *
     * @throws IOException if the store cannot be read
     */
    public static AirlockServer startOwning(
            ServerConfig config, Store store, AuditKeys keys, Path skillsData) throws IOException {
        return startOwning(config, store, keys, skillsData, ServerLog.discard());
    }

    /**
     * As {@link #startOwning(ServerConfig, Store, AuditKeys, Path)}, writing the request log and
     * the server's own warnings to {@code log}.
     *
     * @throws IOException if the store cannot be read
     */
    public static AirlockServer startOwning(
            ServerConfig config, Store store, AuditKeys keys, Path skillsData, ServerLog log)
            throws IOException {
        try {
            return new AirlockServer(config, store, true, keys, skillsData, log);
        } catch (StoreException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The port it listens on (the chosen one when configured with 0). */
    public int port() {
        return port;
    }

    /** Where it listens, for example {@code http://127.0.0.1:8787}. */
    public URI uri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create(scheme + "://" + h + ":" + port());
    }

    /** How many listeners the server has (one: HTTPS replaces plain HTTP). */
    int listeners() {
        return app.jettyServer().server().getConnectors().length;
    }

    /** Exports the spans ended so far (waiting up to 5 seconds); nothing when not tracing. */
    void flushTraces() {
        tracing.flush();
    }

    /** The service behind the API, for the MCP server and embedders. */
    public AirlockService service() {
        return service;
    }

    /**
     * Shuts down gracefully: refuses new executions (503), lets running ones finish and record
     * their results (up to the drain timeout), stops listening, closes sessions and seals the audit
     * trail.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        sweeper.shutdownNow();
        try {
            service.drain();
            api.awaitIdle(java.time.Duration.ofSeconds(5));
            mcp.close();
            app.stop();
            service.close();
        } finally {
            tracing.close(); // before the log: its last export's failure is logged there
            requests.close();
            if (ownsStore) {
                store.close();
            }
        }
    }

    private void closeQuietly() {
        try {
            service.close();
        } catch (IOException | RuntimeException ignored) {
            // already failing
        }
    }
}
