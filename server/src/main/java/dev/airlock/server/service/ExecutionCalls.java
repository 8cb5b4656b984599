package dev.airlock.server.service;

import dev.airlock.audit.store.Principal;
import dev.airlock.audit.store.TenantLimits;
import dev.airlock.server.ServerConfig;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.ExecutionRequest;
import dev.airlock.server.api.ExecutionResult;
import dev.airlock.server.api.PortableRun;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one-shot calls of {@link AirlockService}: executions, their portable form for a browser, and
 * skill calls. Each is checked against the tenant's ceilings, then admitted under its rate quota
 * and run on a worker that holds its memory limit while it runs, and counted.
 */
final class ExecutionCalls {
    private final ServerConfig config;
    private final Function<String, TenantLimits> ceilings;
    private final Supplier<SkillService> skills;
    private final Executions executions;
    private final MemoryBudget memory;
    private final Quotas quotas;
    private final Workers workers;
    private final ServiceMeters meters;

    /**
     * @param ceilings a tenant's ceilings and quotas
     * @param skills the skills served ({@link AirlockService#skills()}: 404 when none)
     */
    ExecutionCalls(
            ServerConfig config,
            ServiceParts parts,
            Function<String, TenantLimits> ceilings,
            Supplier<SkillService> skills) {
        this.config = config;
        this.ceilings = ceilings;
        this.skills = skills;
        this.executions = parts.executions;
        this.memory = parts.memory;
        this.quotas = parts.quotas;
        this.workers = parts.workers;
        this.meters = parts.meters;
    }

    /** See {@link AirlockService#execute}. */
    ExecutionResult execute(Principal who, ExecutionRequest r, OutputListener listener) {
        if (r == null) {
            throw ApiException.badRequest("an execution request is required");
        }
        TenantLimits ceiling = ceilings.apply(who.tenant());
        Executions.Prepared p =
                executions.prepare(r, ceiling, name -> config.secretFor(name, who.tenant()));
        long bytes = memory.admissible(p.policy().limits().memoryBytes());
        return admitted(
                who.tenant(),
                ceiling,
                bytes,
                r.language(),
                () -> executions.run(p, who.tenant(), listener),
                ExecutionResult::status);
    }

    /** See {@link AirlockService#portable}. */
    PortableRun portable(Principal who, ExecutionRequest r) {
        if (r == null) {
            throw ApiException.badRequest("an execution request is required");
        }
        TenantLimits ceiling = ceilings.apply(who.tenant());
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

    /** See {@link AirlockService#callSkill}. */
    SkillService.CallResult callSkill(
            Principal who, String name, String tool, String version, byte[] input) {
        TenantLimits ceiling = ceilings.apply(who.tenant());
        SkillService served = skills.get();
        Object prepared = served.prepare(who, name, tool, version, input, ceiling);
        if (prepared instanceof SkillService.CallResult refused) {
            return refused;
        }
        SkillCalls.Prepared p = (SkillCalls.Prepared) prepared;
        long bytes = memory.admissible(p.allowance().limits().memoryBytes());
        return admitted(
                who.tenant(),
                ceiling,
                bytes,
                "skill",
                () -> served.run(p, who.tenant()),
                SkillService.CallResult::status);
    }

    /**
     * Runs {@code work} under the tenant's rate quota on a worker, holding {@code bytes} of the
     * memory budget and the tenant's total while it runs, and counts it by language and status.
     */
    private <T> T admitted(
            String tenant,
            TenantLimits ceiling,
            long bytes,
            String language,
            Callable<T> work,
            Function<T, String> status) {
        try (Quotas.Permit permit = quotas.acquire(tenant, ceiling)) {
            Timer.Sample t = meters.start();
            // reserved on the worker: a queued run holds no memory
            T result =
                    workers.run(
                            () -> {
                                try (MemoryBudget.Reservation held =
                                        memory.reserve(tenant, bytes)) {
                                    return work.call();
                                }
                            });
            meters.executed(t, language, status.apply(result));
            return result;
        }
    }
}
