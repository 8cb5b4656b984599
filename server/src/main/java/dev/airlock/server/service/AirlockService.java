package dev.airlock.server.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Principal;
import dev.airlock.audit.store.Store;
import dev.airlock.audit.store.StoreException;
import dev.airlock.audit.store.Tenant;
import dev.airlock.audit.store.TenantLimits;
import dev.airlock.core.Airlock;
import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.core.time.Ticker;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.lang.Execution;
import dev.airlock.lang.Language;
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
import dev.airlock.server.http.Json;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
    private final Recorder recorder;
    private final CodeInterpreter interpreter;
    private final Executions executions;
    private final Sessions sessions;
    private final Quotas quotas;
    private final Workers workers;
    private final MemoryBudget memory;
    private final ServiceMeters meters;
    private final Clock clock;
    private final SkillService skills;

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
        if (config.nodeId() != null) {
            store.registerNode(config.nodeId(), keys); // before the recorder takes the chain
            store.heartbeat(config.nodeId(), config.clock().millis());
        }
        this.recorder = new Recorder(store, keys, new RunTraces(tracer));
        Airlock.Builder engine = Airlock.builder().clock(clock);
        CodeInterpreter.Builder interpreters = CodeInterpreter.builder();
        if (config.cacheDir() != null) {
            engine.diskCache(config.cacheDir().resolve("modules"));
            interpreters.imageCache(config.cacheDir().resolve("images"));
        }
        Airlock airlock = engine.build();
        this.interpreter = interpreters.airlock(airlock).build();
        this.executions =
                new Executions(
                        airlock,
                        interpreter,
                        recorder,
                        config.defaultLimits(),
                        new PackageSets(config.packages()),
                        config.network(),
                        clock);
        this.memory =
                new MemoryBudget(
                        config.memoryBudgetBytes(),
                        config.tenantMemoryBytes(),
                        config.memoryWait(),
                        Ticker.system());
        this.sessions =
                new Sessions(
                        interpreter,
                        recorder,
                        memory,
                        config.ticker(),
                        clock,
                        config.sessionIdleTimeout(),
                        config.maxSessionsPerTenant(),
                        config.maxSnapshotsPerSession());
        if (config.nodeId() != null) {
            sessions.keepIn(
                    new SessionKeeper(
                            sessions,
                            store.sessionStates(),
                            config.nodeId(),
                            this::keptSessionPolicy));
        }
        this.quotas =
                config.nodeId() == null
                        ? Quotas.local(config.ticker())
                        : Quotas.shared(store.runSlots(), config.nodeId(), clock);
        this.skills =
                skillsData == null
                        ? null
                        : new SkillService(
                                store,
                                skillsData,
                                airlock,
                                interpreter,
                                recorder,
                                config.skillAllowance(),
                                config.defaultLimits(),
                                clock);
        this.workers = new Workers(config.workers(), config.queueSize());
        if (config.bootstrapKey() != null) {
            store.apiKeys().bootstrap(config.bootstrapKey());
        }
        this.meters = new ServiceMeters(meters, sessions, workers, memory);
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
        if (r == null) {
            throw ApiException.badRequest("an execution request is required");
        }
        TenantLimits ceiling = limits(who);
        Executions.Prepared p =
                executions.prepare(r, ceiling, name -> config.secretFor(name, who.tenant()));
        long bytes = memory.admissible(p.policy().limits().memoryBytes());
        try (Quotas.Permit permit = quotas.acquire(who.tenant(), ceiling)) {
            Timer.Sample t = meters.start();
            // reserved on the worker: a queued run holds no memory
            ExecutionResult result =
                    workers.run(
                            () -> {
                                try (MemoryBudget.Reservation held =
                                        memory.reserve(who.tenant(), bytes)) {
                                    return executions.run(p, who.tenant(), listener);
                                }
                            });
            count(t, r.language(), result.status());
            return result;
        }
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
        if (r == null) {
            throw ApiException.badRequest("an execution request is required");
        }
        TenantLimits ceiling = limits(who);
        Executions.Prepared p =
                executions.prepare(r, ceiling, name -> config.secretFor(name, who.tenant()));
        if (p.policy().egress().granted()) {
            throw ApiException.badRequest(
                    "network rules are not portable: a browser run has no network");
        }
        try (Quotas.Permit permit = quotas.acquire(who.tenant(), ceiling)) {
            return executions.portable(p);
        }
    }

    /**
     * The installed skills.
     *
     * @throws ApiException 404 when this server serves none (started without a data folder)
     */
    public SkillService skills() {
        if (skills == null) {
            throw ApiException.notFound("this server serves no skills");
        }
        return skills;
    }

    /** Whether this server serves skills. */
    public boolean hasSkills() {
        return skills != null;
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
        TenantLimits ceiling = limits(who);
        Object prepared = skills().prepare(who, name, tool, version, input, ceiling);
        if (prepared instanceof SkillService.CallResult refused) {
            return refused;
        }
        SkillCalls.Prepared p = (SkillCalls.Prepared) prepared;
        long bytes = memory.admissible(p.allowance().limits().memoryBytes());
        try (Quotas.Permit permit = quotas.acquire(who.tenant(), ceiling)) {
            Timer.Sample t = meters.start();
            SkillService.CallResult result =
                    workers.run(
                            () -> {
                                try (MemoryBudget.Reservation held =
                                        memory.reserve(who.tenant(), bytes)) {
                                    return skills.run(p, who.tenant());
                                }
                            });
            count(t, "skill", result.status());
            return result;
        }
    }

    /**
     * Opens a session. It holds its memory limit against the server's memory budget and the
     * tenant's total until it is closed.
     *
     * @throws ApiException 400 for a bad request, 429 when the tenant has too many open or its
     *     memory total is in use, 503 when the workers or the memory budget are full
     */
    public SessionInfo createSession(Principal who, SessionRequest r) {
        if (r == null) {
            throw ApiException.badRequest("a session request is required");
        }
        Language language = Requests.language(r.language(), false);
        Policy policy = sessionPolicy(who.tenant(), r);
        Map<String, byte[]> files = Requests.files(r.files());
        String request = null;
        if (config.nodeId() != null) {
            try { // kept with the session, so that any node can derive its policy again
                request =
                        Json.MAPPER.writeValueAsString(
                                new SessionRequest(
                                        r.language(),
                                        r.env(),
                                        null,
                                        r.limits(),
                                        r.packages(),
                                        r.allowNet(),
                                        r.secrets()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        SessionEntry e = sessions.open(who.tenant(), language, policy, files, workers, request);
        return config.nodeId() == null ? e.info() : sessions.info(who.tenant(), e.id());
    }

    /** A session's policy, from its tenant's ceilings and the request that opens it. */
    private Policy sessionPolicy(String tenant, SessionRequest r) {
        Language language = Requests.language(r.language(), false);
        Limits limits = Requests.limits(r.limits(), limits(tenant), config.defaultLimits(), false);
        return Requests.network(
                new PackageSets(config.packages())
                        .apply(
                                Requests.policy(r.env(), null, null, limits),
                                r.packages(),
                                language),
                r.allowNet(),
                r.secrets(),
                config.network(),
                name -> config.secretFor(name, tenant));
    }

    /** A kept session's policy on this node, from the request it was opened with. */
    private Policy keptSessionPolicy(String tenant, String request) {
        try {
            return sessionPolicy(tenant, Json.MAPPER.readValue(request, SessionRequest.class));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("its request cannot be read: " + e.getOriginalMessage());
        }
    }

    /** The tenant's open sessions. */
    public List<SessionInfo> sessions(Principal who) {
        return sessions.list(who.tenant());
    }

    /**
     * The tenant's session.
     *
     * @throws ApiException 404
     */
    public SessionInfo session(Principal who, String id) {
        return sessions.info(who.tenant(), id);
    }

    /**
     * Runs code in a session and records it.
     *
     * @throws ApiException 404, 409 (busy), 429, 503
     */
    public ExecutionResult runInSession(
            Principal who, String id, CodeRequest r, OutputListener listener) {
        if (r == null || r.code() == null) {
            throw ApiException.badRequest("'code' is required");
        }
        TenantLimits ceiling = limits(who);
        SessionEntry e = sessions.acquire(who.tenant(), id);
        boolean ran = false;
        try (Quotas.Permit permit = quotas.acquire(who.tenant(), ceiling)) {
            Timer.Sample t = meters.start();
            ExecutionResult result =
                    workers.run(
                            () -> {
                                Output output = new Output(listener);
                                e.capture.arm(e.id());
                                Instant started = clock.instant();
                                Execution x = e.session.run(r.code(), output.stdio());
                                String runId =
                                        recorder.record(
                                                e.capture,
                                                x.outcome(),
                                                started,
                                                clock.instant(),
                                                who.tenant(),
                                                e.id());
                                return ExecutionResult.of(
                                        runId,
                                        e.id(),
                                        x.outcome(),
                                        output.stdout(),
                                        output.stderr(),
                                        null,
                                        x.reset());
                            });
            ran = true;
            count(t, e.session.language().id(), result.status());
            return result;
        } finally {
            sessions.finish(e, ran);
        }
    }

    /**
     * Writes a file into the session's filesystem.
     *
     * @throws ApiException 400 for a path outside {@code /workspace} or over the quota, 404, 409
     */
    public void upload(Principal who, String id, String path, byte[] content) {
        String p = Requests.guestPath(path);
        SessionEntry e = sessions.acquire(who.tenant(), id);
        boolean written = false;
        try {
            e.session.upload(p, content);
            written = true;
        } catch (IOException x) {
            throw ApiException.badRequest("cannot write " + p + ": " + x.getMessage());
        } finally {
            sessions.finish(e, written);
        }
    }

    /**
     * Reads a file of the session's filesystem.
     *
     * @throws ApiException 400 for a path outside {@code /workspace}, 404 (no session or file)
     */
    public byte[] download(Principal who, String id, String path) {
        String p = Requests.guestPath(path);
        SessionEntry e = sessions.acquire(who.tenant(), id);
        try {
            return e.session.download(p);
        } catch (IOException x) {
            throw ApiException.notFound("no file " + p);
        } finally {
            sessions.finish(e, false);
        }
    }

    /** The files under the session's {@code /workspace}. */
    public List<String> files(Principal who, String id) {
        SessionEntry e = sessions.acquire(who.tenant(), id);
        try {
            return e.session.files(Requests.WORKSPACE);
        } catch (IOException x) {
            return List.of();
        } finally {
            sessions.finish(e, false);
        }
    }

    /** Captures the session; see {@link Sessions#snapshot}. */
    public SnapshotInfo snapshot(Principal who, String id) {
        SessionEntry e = sessions.acquire(who.tenant(), id);
        boolean taken = false;
        try {
            SnapshotInfo info = sessions.snapshot(e);
            taken = true; // the snapshot is now the state a stopped call resets to
            return info;
        } finally {
            sessions.finish(e, taken);
        }
    }

    /** Puts the session back in one of its snapshots. */
    public SessionInfo restore(Principal who, String id, String snapshotId) {
        SessionEntry e = sessions.acquire(who.tenant(), id);
        boolean restored = false;
        try {
            sessions.restore(e, snapshotId);
            restored = true;
        } finally {
            sessions.finish(e, restored);
        }
        return sessions.info(who.tenant(), id);
    }

    /**
     * A new session starting from this one's state; it holds memory like a new session.
     *
     * @throws ApiException 404, 409, 429, 503
     */
    public SessionInfo fork(Principal who, String id) {
        SessionEntry e = sessions.acquire(who.tenant(), id);
        String copy;
        try {
            copy = sessions.fork(e).id();
        } finally {
            sessions.finish(e, false);
        }
        return sessions.info(who.tenant(), copy);
    }

    /**
     * Stops the session's running call, if any: it ends as a limit of kind {@code interrupted} and
     * the session is reset (its files kept).
     *
     * @throws ApiException 404
     */
    public void interrupt(Principal who, String id) {
        sessions.interrupt(who.tenant(), id);
    }

    /** Closes the session (interrupting a running call). */
    public void closeSession(Principal who, String id) {
        sessions.close(who.tenant(), id);
    }

    /** Executions queued or running now. */
    public int activeExecutions() {
        return workers.busy();
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
        return sessions.sweep();
    }

    /**
     * The tenant's recorded run.
     *
     * @throws ApiException 404
     */
    public RunView run(Principal who, String runId) {
        return recorder.run(who.tenant(), runId)
                .map(r -> RunView.of(r, recorder.node(r.runId())))
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
        return recorder.runs(who.tenant(), limit).stream()
                .map(r -> RunView.of(r, recorder.node(r.runId())))
                .toList();
    }

    /**
     * The tenant's run's audit records (sealed JSON lines, in order).
     *
     * @throws ApiException 404
     */
    public List<String> audit(Principal who, String runId) {
        Optional<List<String>> lines = recorder.audit(who.tenant(), runId);
        return lines.orElseThrow(() -> ApiException.notFound("no run " + runId));
    }

    private void count(Timer.Sample t, String language, String status) {
        meters.executed(t, language, status);
    }

    /**
     * Refuses new executions (503) and waits, up to the drain timeout, for queued and running ones
     * to finish and be recorded.
     *
     * @return whether all of them finished in time
     */
    public boolean drain() {
        boolean drained = workers.drain(config.drainTimeout());
        if (!drained) {
            workers.stopNow();
        }
        return drained;
    }

    /** Whether it is draining: refusing new work before it stops ({@link #drain()}). */
    public boolean draining() {
        return workers.draining();
    }

    /** The node id ({@link ServerConfig#nodeId()}), or null for a lone server. */
    public String nodeId() {
        return config.nodeId();
    }

    /** {@link #drain()}s, then closes the sessions and seals the audit trail. */
    @Override
    public void close() throws IOException {
        drain();
        sessions.close();
        interpreter.close();
        recorder.close();
    }
}
