package dev.airlock.server.service;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Principal;
import dev.airlock.audit.store.Store;
import dev.airlock.audit.store.StoreException;
import dev.airlock.audit.store.Tenant;
import dev.airlock.audit.store.TenantLimits;
import dev.airlock.server.ServerConfig;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.CodeRequest;
import dev.airlock.server.api.ExecutionRequest;
import dev.airlock.server.api.ExecutionResult;
import dev.airlock.server.api.PortableRun;
import dev.airlock.server.api.RunView;
import dev.airlock.server.api.SessionInfo;
import dev.airlock.server.api.SessionRequest;
import dev.airlock.server.api.SnapshotInfo;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * What the HTTP API and the MCP server do, behind both: authentication by API key, tenants'
 * ceilings and quotas, one-shot executions, sessions, runs and their audit trail. Every method
 * takes the caller's {@link Principal} and never shows one tenant another's things (404). Refusals
 * are {@link ApiException}s. Thread-safe.
 */
public final class AirlockService implements AutoCloseable {
    private final ServerConfig config;
    private final Store store;
    private final Clock clock;
    private final ServiceParts parts;
    private final ExecutionCalls executionCalls;
    private final SessionCalls sessionCalls;

    /**
     * @param config the server's configuration
     * @param store the store (runs, audit, tenants, keys); closed by the caller
     * @param keys the audit signing key
     * @param meters where metrics go
     * @throws StoreException if the store cannot be read
     */
    public AirlockService(ServerConfig config, Store store, AuditKeys keys, MeterRegistry meters)
            throws StoreException {
        this(config, store, keys, meters, null);
    }

    /**
     * A service that also serves the skills installed in {@code store}'s registry, with the trust
     * store and the skills' cache in {@code skillsData} (no skills if null).
     *
     * @throws StoreException if the store cannot be read
     */
    public AirlockService(
            ServerConfig config,
            Store store,
            AuditKeys keys,
            MeterRegistry meters,
            java.nio.file.Path skillsData)
            throws StoreException {
        this(config, store, keys, meters, skillsData, null);
    }

    /**
     * As {@link #AirlockService(ServerConfig, Store, AuditKeys, MeterRegistry,
     * java.nio.file.Path)}, tracing each recorded run: an {@code airlock.run} span, a child of the
     * span in {@link Origins#trace()}, with a span per batch of consecutive calls to one host
     * function.
     *
     * @param tracer where run spans go; null: runs are not traced
     * @throws StoreException if the store cannot be read
     */
    public AirlockService(
            ServerConfig config,
            Store store,
            AuditKeys keys,
            MeterRegistry meters,
            java.nio.file.Path skillsData,
            io.opentelemetry.api.trace.Tracer tracer)
            throws StoreException {
        this.config = config;
        this.store = store;
        this.clock = config.clock();
        SessionPolicies policies = new SessionPolicies(config, this::limits);
        this.parts =
                new ServiceParts(config, store, keys, meters, skillsData, tracer, policies::kept);
        this.executionCalls = new ExecutionCalls(config, parts, this::limits, this::skills);
        this.sessionCalls = new SessionCalls(parts, policies, this::limits, clock);
    }

    /**
     * Who a bearer key is.
     *
     * @throws ApiException 401 for a missing, unknown or revoked key
     */
    public Principal authenticate(String key) {
        if (key == null || key.isEmpty()) {
            throw ApiException.unauthorized();
        }
        try {
            return store.apiKeys().authenticate(key).orElseThrow(ApiException::unauthorized);
        } catch (StoreException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tenant's ceilings and quotas. */
    public TenantLimits limits(Principal who) {
        return limits(who.tenant());
    }

    private TenantLimits limits(String tenant) {
        try {
            return store.tenants().get(tenant).map(Tenant::limits).orElse(TenantLimits.defaults());
        } catch (StoreException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs a snippet or module once in a fresh sandbox and records it.
     *
     * <p>While it runs (not while it is queued) it reserves its memory limit against the server's
     * memory budget and the tenant's total (see {@link ServerConfig#memoryBudgetBytes()}).
     *
     * @param listener gets the output as it comes ({@link OutputListener#NONE} for none)
     * @throws ApiException 400 for a bad request, 429 for an exhausted quota or tenant memory
     *     total, 503 when the workers or the memory budget are full
     */
    public ExecutionResult execute(Principal who, ExecutionRequest r, OutputListener listener) {
        return executionCalls.execute(who, r, listener);
    }

    /**
     * A wasm execution request made ready to run in a browser under the same policy: checked as
     * {@link #execute} checks it (tenant ceilings, rate quota), then the module to run and its
     * policy, or the refusal the server would give. Nothing runs on the server and no run is
     * recorded.
     *
     * @throws ApiException 400 for a bad request or a language other than wasm, 429 for an
     *     exhausted quota
     */
    public PortableRun portable(Principal who, ExecutionRequest r) {
        return executionCalls.portable(who, r);
    }

    /**
     * The installed skills.
     *
     * @throws ApiException 404 when this server serves none (started without a data folder)
     */
    public SkillService skills() {
        if (parts.skills == null) {
            throw ApiException.notFound("this server serves no skills");
        }
        return parts.skills;
    }

    /** Whether this server serves skills. */
    public boolean hasSkills() {
        return parts.skills != null;
    }

    /**
     * Calls a skill's tool as the caller's tenant, under its ceilings, quotas and memory total, and
     * records the run (and the runs of the skills it calls).
     *
     * @param version the version, or null for the highest installed
     * @param input the tool's JSON input
     * @throws ApiException 404 for a skill or tool not there (or not visible), 400 for input that
     *     is not JSON or does not fit the tool's schema, 429, 503
     */
    public SkillService.CallResult callSkill(
            Principal who, String name, String tool, String version, byte[] input) {
        return executionCalls.callSkill(who, name, tool, version, input);
    }

    /**
     * Opens a session. It holds its memory limit against the server's memory budget and the
     * tenant's total until it is closed.
     *
     * @throws ApiException 400 for a bad request, 429 when the tenant has too many open or its
     *     memory total is in use, 503 when the workers or the memory budget are full
     */
    public SessionInfo createSession(Principal who, SessionRequest r) {
        return sessionCalls.create(who, r);
    }

    /** The tenant's open sessions. */
    public List<SessionInfo> sessions(Principal who) {
        return parts.sessions.list(who.tenant());
    }

    /**
     * The tenant's session.
     *
     * @throws ApiException 404
     */
    public SessionInfo session(Principal who, String id) {
        return parts.sessions.info(who.tenant(), id);
    }

    /**
     * Runs code in a session and records it.
     *
     * @throws ApiException 404, 409 (busy), 429, 503
     */
    public ExecutionResult runInSession(
            Principal who, String id, CodeRequest r, OutputListener listener) {
        return sessionCalls.run(who, id, r, listener);
    }

    /**
     * Writes a file into the session's filesystem.
     *
     * @throws ApiException 400 for a path outside {@code /workspace} or over the quota, 404, 409
     */
    public void upload(Principal who, String id, String path, byte[] content) {
        sessionCalls.upload(who, id, path, content);
    }

    /**
     * Reads a file of the session's filesystem.
     *
     * @throws ApiException 400 for a path outside {@code /workspace}, 404 (no session or file)
     */
    public byte[] download(Principal who, String id, String path) {
        return sessionCalls.download(who, id, path);
    }

    /** The files under the session's {@code /workspace}. */
    public List<String> files(Principal who, String id) {
        return sessionCalls.files(who, id);
    }

    /** Captures the session; see {@link SessionCopies#snapshot}. */
    public SnapshotInfo snapshot(Principal who, String id) {
        return sessionCalls.snapshot(who, id);
    }

    /** Puts the session back in one of its snapshots. */
    public SessionInfo restore(Principal who, String id, String snapshotId) {
        return sessionCalls.restore(who, id, snapshotId);
    }

    /**
     * A new session starting from this one's state; it holds memory like a new session.
     *
     * @throws ApiException 404, 409, 429, 503
     */
    public SessionInfo fork(Principal who, String id) {
        return sessionCalls.fork(who, id);
    }

    /**
     * Stops the session's running call, if any: it ends as a limit of kind {@code interrupted} and
     * the session is reset (its files kept).
     *
     * @throws ApiException 404
     */
    public void interrupt(Principal who, String id) {
        parts.sessions.interrupt(who.tenant(), id);
    }

    /** Closes the session (interrupting a running call). */
    public void closeSession(Principal who, String id) {
        parts.sessions.close(who.tenant(), id);
    }

    /** Executions queued or running now. */
    public int activeExecutions() {
        return parts.workers.busy();
    }

    /**
     * Says in the shared store that this node is alive (a node silent for {@link
     * Store#SILENT_NODE_MILLIS} counts as dead); the server calls it every few seconds. Does
     * nothing without a node id.
     *
     * @throws UncheckedIOException if the store cannot be written
     */
    public void heartbeat() {
        if (config.nodeId() == null) {
            return;
        }
        try {
            store.heartbeat(config.nodeId(), clock.millis());
        } catch (StoreException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes idle sessions; the server calls it periodically. */
    public int expireIdleSessions() {
        return parts.sessions.sweep();
    }

    /**
     * The tenant's recorded run.
     *
     * @throws ApiException 404
     */
    public RunView run(Principal who, String runId) {
        return parts.recorder
                .run(who.tenant(), runId)
                .map(r -> RunView.of(r, parts.recorder.node(r.runId())))
                .orElseThrow(() -> ApiException.notFound("no run " + runId));
    }

    /** The most runs one list may ask for ({@link #runs}). */
    public static final int MAX_RUN_LIST = 200;

    /**
     * The tenant's latest recorded runs, newest first (runs whose stored outcome was edited are
     * left out).
     *
     * @param limit how many, 1 to {@link #MAX_RUN_LIST}
     * @throws ApiException 400 for a limit out of range
     */
    public List<RunView> runs(Principal who, int limit) {
        if (limit < 1 || limit > MAX_RUN_LIST) {
            throw ApiException.badRequest("limit: expected 1 to " + MAX_RUN_LIST);
        }
        return parts.recorder.runs(who.tenant(), limit).stream()
                .map(r -> RunView.of(r, parts.recorder.node(r.runId())))
                .toList();
    }

    /**
     * The tenant's run's audit records (sealed JSON lines, in order).
     *
     * @throws ApiException 404
     */
    public List<String> audit(Principal who, String runId) {
        Optional<List<String>> lines = parts.recorder.audit(who.tenant(), runId);
        return lines.orElseThrow(() -> ApiException.notFound("no run " + runId));
    }

    /**
     * Refuses new executions (503) and waits, up to the drain timeout, for queued and running ones
     * to finish and be recorded.
     *
     * @return whether all of them finished in time
     */
    public boolean drain() {
        boolean drained = parts.workers.drain(config.drainTimeout());
        if (!drained) {
            parts.workers.stopNow();
        }
        return drained;
    }

    /** Whether it is draining: refusing new work before it stops ({@link #drain()}). */
    public boolean draining() {
        return parts.workers.draining();
    }

    /** The node id ({@link ServerConfig#nodeId()}), or null for a lone server. */
    public String nodeId() {
        return config.nodeId();
    }

    /** {@link #drain()}s, then closes the sessions and seals the audit trail. */
    @Override
    public void close() throws IOException {
        drain();
        parts.sessions.close();
        parts.interpreter.close();
        parts.recorder.close();
    }
}
