package dev.airlock.server.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.audit.store.Principal;
import dev.airlock.audit.store.TenantLimits;
import dev.airlock.core.Airlock;
import dev.airlock.core.Limits;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.ExecutionResult;
import dev.airlock.skills.Allowance;
import dev.airlock.skills.Manifest;
import dev.airlock.skills.Registry;
import dev.airlock.skills.SkillException;
import dev.airlock.skills.SkillRunner;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Calls of installed skills' tools for {@link SkillService} (which checks who sees the skill
 * first): the skill taken out of the registry and verified again, its allowance and limits set,
 * then run on a worker thread and recorded with the calls it made.
 */
final class SkillCalls {
    private final Registry registry;
    private final Airlock airlock;
    private final CodeInterpreter interpreter;
    private final Recorder recorder;
    private final Allowance allowance;
    private final Limits defaults;
    private final Clock clock;

    SkillCalls(
            Registry registry,
            Airlock airlock,
            CodeInterpreter interpreter,
            Recorder recorder,
            Allowance allowance,
            Limits defaults,
            Clock clock) {
        this.registry = registry;
        this.airlock = airlock;
        this.interpreter = interpreter;
        this.recorder = recorder;
        this.allowance = allowance;
        this.defaults = defaults;
        this.clock = clock;
    }

    /** A skill call checked and ready to run on a worker. */
    record Prepared(Registry.Installed skill, String tool, byte[] input, Allowance allowance) {}

    /**
     * Takes the skill out of the registry (verified again) and sets its allowance.
     *
     * @return the prepared call, or the recorded refusal of a skill that no longer passes its
     *     checks
     * @throws ApiException 404, 400 for a tool that does not exist
     */
    Object prepare(
            Principal who,
            String name,
            String tool,
            String version,
            byte[] input,
            TenantLimits ceiling) {
        Registry.Installed s;
        try {
            s = registry.get(name, version, airlock);
        } catch (SkillException e) {
            if (!e.refusal()) {
                throw SkillService.problem(e);
            }
            return refusal(who, name, version, tool, e);
        }
        if (s.checked().manifest().tool(tool) == null) {
            throw ApiException.notFound("skill " + name + " has no tool " + tool);
        }
        Limits limits = Requests.limits(null, ceiling, defaults, false);
        Limits.Builder b = limits.toBuilder();
        b.timeout(min(limits.timeout(), allowance.limits().timeout()));
        b.memoryBytes(Math.min(limits.memoryBytes(), allowance.limits().memoryBytes()));
        b.maxOutputBytes(Math.min(limits.maxOutputBytes(), allowance.limits().maxOutputBytes()));
        Manifest mf = s.checked().manifest();
        if ((mf.entry().kind() == Manifest.Entry.Kind.WASM && mf.limits().fuel() != null)
                || !mf.capabilities().skills().isEmpty()) {
            // a metered skill's budget, or the budget the skills it calls share, is at most the
            // tenant's largest fuel budget
            long fuel = ceiling.maxFuel();
            if (allowance.limits().fuel().isPresent()) {
                fuel = Math.min(fuel, allowance.limits().fuel().getAsLong());
            }
            b.fuel(fuel);
        }
        return new Prepared(s, tool, input, allowance.withLimits(b.build()));
    }

    private static java.time.Duration min(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** A skill refused at call time, recorded as a rejected run (reason skill-KIND). */
    private SkillService.CallResult refusal(
            Principal who, String name, String version, String tool, SkillException e) {
        RunCapture capture = recorder.capture();
        Instant started = clock.instant();
        String reason = "skill-" + e.kind().name().toLowerCase(java.util.Locale.ROOT);
        Outcome o = airlock.rejected(new ModuleRejectedException(reason, e.line(), null), capture);
        String runId = recorder.record(capture, o, started, clock.instant(), who.tenant(), null);
        return result(runId, name, version, tool, o, null, null, "", "", List.of(), List.of());
    }

    /** Runs a prepared call on the calling (worker) thread and records it and its sub-calls. */
    SkillService.CallResult run(Prepared p, String tenant) {
        RunCapture capture = recorder.capture();
        List<Map<String, Object>> calls = new CopyOnWriteArrayList<>();
        Instant started = clock.instant();
        SkillRunner runner =
                new SkillRunner(
                        airlock,
                        () -> interpreter,
                        registry,
                        c -> {
                            String id =
                                    recorder.recordAs(
                                            c.runId(),
                                            c.outcome(),
                                            started,
                                            clock.instant(),
                                            tenant);
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("runId", id);
                            m.put("parentRunId", c.parentRunId());
                            m.put("caller", c.caller());
                            m.put("callee", c.callee());
                            m.put("tool", c.tool());
                            m.put("status", c.outcome().status().id());
                            m.put("depth", c.depth());
                            calls.add(m);
                        });
        // never closed: the interpreter is the server's
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SkillRunner.Result r;
        try {
            r = runner.run(p.skill(), p.tool(), p.input(), p.allowance(), err, capture);
        } catch (SkillException e) {
            throw SkillService.problem(e);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        // under the runner's id for the run (the interpreter's call that ran the skill's code)
        String runId = recorder.recordAs(r.runId(), r.outcome(), started, clock.instant(), tenant);
        Registry.Entry e = p.skill().entry();
        String stdout = r.output() == null ? text(r.stdout()) : "";
        return result(
                runId,
                e.name(),
                e.version(),
                p.tool(),
                r.outcome(),
                r.output(),
                r.problem(),
                stdout,
                text(err.toByteArray()),
                r.notes(),
                List.copyOf(calls));
    }

    private static SkillService.CallResult result(
            String runId,
            String name,
            String version,
            String tool,
            Outcome o,
            JsonNode output,
            String problem,
            String stdout,
            String stderr,
            List<String> notes,
            List<Map<String, Object>> calls) {
        return new SkillService.CallResult(
                runId,
                name,
                version,
                tool,
                output,
                problem,
                o.status().id(),
                o.exitCode(),
                o.kind(),
                o.message(),
                stdout,
                stderr,
                ExecutionResult.UsageView.of(o.usage()),
                o.denials().stream().map(ExecutionResult.DenialView::of).toList(),
                notes,
                calls);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
