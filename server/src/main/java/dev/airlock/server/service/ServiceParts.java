package dev.airlock.server.service;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Store;
import dev.airlock.audit.store.StoreException;
import dev.airlock.core.Airlock;
import dev.airlock.core.Policy;
import dev.airlock.core.time.Ticker;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.server.ServerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.BiFunction;

/**
 * What an {@link AirlockService} is made of, made from its configuration in order: the node
 * registered in a shared store, the recorder, the engine and interpreter (with their disk caches),
 * executions, the memory budget, the sessions (kept in the store on a node), quotas, skills,
 * workers, the bootstrap key stored, and the meters.
 */
final class ServiceParts {
    final Recorder recorder;
    final CodeInterpreter interpreter;
    final Executions executions;
    final MemoryBudget memory;
    final Sessions sessions;
    final SessionCopies copies;
    final Quotas quotas;

    /** Null when the service serves no skills. */
    final SkillService skills;

    final Workers workers;
    final ServiceMeters meters;

    /**
     * @param skillsData the skills' trust store and cache (no skills if null)
     * @param tracer where run spans go; null: runs are not traced
     * @param keptPolicies a kept session's policy on this node, from its tenant and the request it
     *     was opened with
     * @throws StoreException if the store cannot be read
     */
    ServiceParts(
            ServerConfig config,
            Store store,
            AuditKeys keys,
            MeterRegistry meters,
            Path skillsData,
            Tracer tracer,
            BiFunction<String, String, Policy> keptPolicies)
            throws StoreException {
        Clock clock = config.clock();
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
                        config.maxSessionsPerTenant());
        this.copies = new SessionCopies(sessions, config.maxSnapshotsPerSession());
        if (config.nodeId() != null) {
            sessions.keepIn(
                    new SessionKeeper(
                            sessions, store.sessionStates(), config.nodeId(), keptPolicies));
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
}
