package dev.airlock.skills;

import dev.airlock.core.Airlock;
import dev.airlock.core.event.EventSink;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Skill-to-skill calls: the host tools {@code skill:NAME/TOOL} through which a skill calls the
 * skills it declares, and each such call (refused on a cycle, past {@link SkillRunner#MAX_DEPTH},
 * without time or fuel left), run on a thread of its own within what is left of the caller's time
 * and of the chain's fuel budget.
 */
final class SkillChain {
    /** The fuel left of a chain without a fuel budget. */
    static final long NO_FUEL_BUDGET = -1;

    private final SkillRunner runner;
    private final Airlock airlock;
    private final Registry registry;
    private final java.util.function.Consumer<SkillRunner.Call> calls;

    SkillChain(
            SkillRunner runner,
            Airlock airlock,
            Registry registry,
            java.util.function.Consumer<SkillRunner.Call> calls) {
        this.runner = runner;
        this.airlock = airlock;
        this.registry = registry;
        this.calls = calls;
    }

    /**
     * Where a run stands in a call chain: the skills above it, its deadline, the operator's
     * allowance, and the chain's fuel left ({@link #NO_FUEL_BUDGET} when it has none).
     */
    record Frame(
            List<String> chain,
            java.util.concurrent.atomic.AtomicLong startedNanos,
            long timeoutNanos,
            Allowance operator,
            java.util.concurrent.atomic.AtomicLong fuelLeft) {
        /** The time left to the run, whose guest started with its (latest) call or first event. */
        long leftNanos() {
            long started = startedNanos.get();
            long now = System.nanoTime();
            return (started == 0 ? now : started) + timeoutNanos - now;
        }
    }

    /**
     * The operator's tools plus one host tool {@code skill:NAME/TOOL} for each tool of each skill
     * that {@code m} declares (a declared skill that is not installed gets none: calling it is
     * refused as not granted). Grants keeps only those the manifest declares.
     */
    Map<String, dev.airlock.core.Tool> skillTools(
            Manifest m,
            Map<String, dev.airlock.core.Tool> offered,
            Frame here,
            java.util.concurrent.atomic.AtomicReference<String> runId,
            OutputStream stderr,
            EventSink events) {
        if (registry == null || m.capabilities().skills().isEmpty()) {
            return offered;
        }
        Map<String, dev.airlock.core.Tool> all = new java.util.LinkedHashMap<>(offered);
        for (String ref : m.capabilities().skills()) {
            int slash = ref.indexOf('/');
            String name = slash < 0 ? ref : ref.substring(0, slash);
            List<String> tools;
            if (slash >= 0) {
                tools = List.of(ref.substring(slash + 1));
            } else {
                try {
                    Registry.Entry e = registry.find(name, null);
                    tools =
                            registry.manifest(e)
                                    .map(
                                            mf ->
                                                    mf.tools().stream()
                                                            .map(Manifest.ToolSpec::name)
                                                            .toList())
                                    .orElse(List.of());
                } catch (SkillException x) {
                    continue;
                }
            }
            for (String t : tools) {
                all.putIfAbsent(
                        SkillRunner.SKILL_TOOL + name + "/" + t,
                        args -> call(here, m.name(), runId.get(), name, t, args, stderr, events));
            }
        }
        return all;
    }

    /**
     * A call from the skill at the end of {@code here}'s chain to {@code name}'s {@code tool}: the
     * callee is taken out of the registry and verified again, and runs in its own instance under
     * its own manifest intersected with the operator's allowance, with at most the caller's
     * remaining time. Refused: a cycle, a depth over {@link SkillRunner#MAX_DEPTH}, no time left, a
     * refused callee, input that does not fit. A failed callee is a tool error for the caller.
     */
    private String call(
            Frame here,
            String callerName,
            String parentRunId,
            String name,
            String tool,
            String args,
            OutputStream stderr,
            EventSink events)
            throws Exception {
        if (here.chain().contains(name)) {
            throw new Exception(
                    "skill call cycle refused: "
                            + String.join(" -> ", here.chain())
                            + " -> "
                            + name);
        }
        if (here.chain().size() > SkillRunner.MAX_DEPTH) {
            throw new Exception(
                    "skill call refused: calls nest at most " + SkillRunner.MAX_DEPTH + " deep");
        }
        long left = here.leftNanos();
        if (left <= 0) {
            throw new Exception("skill call refused: the caller has no time left");
        }
        Registry.Installed callee;
        try {
            callee = registry.get(name, null, airlock);
        } catch (SkillException e) {
            throw new Exception("skill " + name + " refused: " + e.line());
        }
        dev.airlock.core.Limits op = here.operator().limits();
        Duration remaining = Duration.ofNanos(left);
        dev.airlock.core.Limits.Builder ceiling = op.toBuilder().noFuel();
        if (remaining.compareTo(op.timeout()) < 0) {
            ceiling.timeout(remaining);
        }
        boolean metered =
                callee.checked().manifest().entry().kind() == Manifest.Entry.Kind.WASM
                        && !ToolBridge.callsTools(callee);
        // a metered callee takes the chain's fuel left (returning what it does not use), so no
        // two callees can spend the same fuel; others share the budget with their own callees
        long reserved = 0;
        if (here.fuelLeft().get() != NO_FUEL_BUDGET) {
            if (metered) {
                reserved = here.fuelLeft().getAndSet(0);
                if (reserved <= 0) {
                    throw new Exception("skill call refused: the caller has no fuel left");
                }
                ceiling.fuel(reserved);
            } else if (here.fuelLeft().get() <= 0) {
                throw new Exception("skill call refused: the caller has no fuel left");
            }
        }
        Allowance a = here.operator().withLimits(ceiling.build());
        long taken = reserved;
        // on a thread of its own: when the caller's time runs out, its thread is interrupted and
        // its call abandoned, while the callee ends by its own limit (at most the time the caller
        // had left) and is still reported
        java.util.concurrent.CompletableFuture<SkillRunner.Result> done =
                new java.util.concurrent.CompletableFuture<>();
        Registry.Installed target = callee;
        Thread t =
                new Thread(
                        () -> {
                            try {
                                SkillRunner.Result r = null;
                                try {
                                    r =
                                            runner.run(
                                                    target,
                                                    tool,
                                                    args.getBytes(StandardCharsets.UTF_8),
                                                    a,
                                                    OutputStream.nullOutputStream(),
                                                    events,
                                                    here,
                                                    parentRunId,
                                                    callerName);
                                } finally {
                                    // what the callee did not use goes back to the chain
                                    long used = r == null ? 0 : r.outcome().usage().fuel();
                                    if (taken > 0) {
                                        here.fuelLeft()
                                                .addAndGet(
                                                        taken - Math.min(taken, Math.max(0, used)));
                                    }
                                }
                                calls.accept(
                                        new SkillRunner.Call(
                                                parentRunId,
                                                callerName,
                                                target.entry().name()
                                                        + "@"
                                                        + target.entry().version(),
                                                tool,
                                                r.runId(),
                                                r.outcome(),
                                                Grants.limits(
                                                        target.checked().manifest().limits(),
                                                        a.limits()),
                                                here.chain().size()));
                                done.complete(r);
                            } catch (Throwable x) {
                                done.completeExceptionally(x);
                            }
                        },
                        "airlock-skill-call");
        t.setDaemon(true);
        t.start();
        SkillRunner.Result r;
        try {
            r = done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Exception("skill " + name + "/" + tool + ": the caller was stopped");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof SkillException x) {
                throw new Exception("skill " + name + "/" + tool + ": " + x.line());
            }
            throw new Exception("skill " + name + "/" + tool + " could not run");
        }
        if (r.exitCode() != 0) {
            throw new Exception(
                    "skill "
                            + name
                            + "/"
                            + tool
                            + " failed: "
                            + (r.problem() != null ? r.problem() : r.outcome().message()));
        }
        return Json.write(r.output());
    }
}
