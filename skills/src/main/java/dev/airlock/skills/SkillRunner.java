package dev.airlock.skills;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.core.Airlock;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.EventSink;
import dev.airlock.core.event.LifecycleEvent;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.lang.Language;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs one tool of an installed skill. Calling convention: the tool's JSON input on stdin, the
 * tool's name as the first argument and in {@code AIRLOCK_TOOL} (JavaScript: the global {@code
 * AIRLOCK_TOOL}, QuickJS having no environment), the JSON result on stdout; a non-zero exit is a
 * failure. The skill's own files are mounted read-only at {@link #SKILL_DIR}. Input and output are
 * validated against the tool's schemas.
 */
public final class SkillRunner implements AutoCloseable {
    /** Where a skill sees its own files. */
    public static final String SKILL_DIR = "/skill";

    /** Exit status of a run whose output is not JSON or does not fit the output schema. */
    public static final int INVALID_OUTPUT = 1;

    /**
     * The prefix of the host tools through which a skill calls another it declared: {@code
     * skill:NAME/TOOL}, as in {@code airlock.call("skill:py-stats/stats", {...})}.
     */
    public static final String SKILL_TOOL = "skill:";

    /**
     * How deep skill-to-skill calls may nest: a skill run directly is at depth 0, the skills it
     * calls at depth 1, and so on; a call that would run at a greater depth is refused.
     */
    public static final int MAX_DEPTH = 4;

    /** The fuel left of a chain without a fuel budget. */
    private static final long NO_FUEL_BUDGET = -1;

    private final Airlock airlock;
    private final java.util.function.Supplier<CodeInterpreter> factory;
    private final Registry registry;
    private final java.util.function.Consumer<Call> calls;
    private CodeInterpreter interpreters;

    /**
     * One finished skill-to-skill call, for whoever records runs (the caller's run is recorded as
     * usual; the callee's run is reported here, with the caller's run id linking the two).
     *
     * @param parentRunId the caller's run id (null if the caller had sent no event yet)
     * @param caller the calling skill's name
     * @param callee the called skill's name and version ({@code NAME@VERSION})
     * @param tool the callee's tool
     * @param runId the callee's run id
     * @param outcome the callee's outcome
     * @param limits the callee's limits (never above the caller's remaining time)
     * @param depth the callee's depth (1 for a call made by a skill run directly)
     */
    public record Call(
            String parentRunId,
            String caller,
            String callee,
            String tool,
            String runId,
            Outcome outcome,
            dev.airlock.core.Limits limits,
            int depth) {}

    /**
     * A runner whose interpreter skills share one warm {@link CodeInterpreter} on {@code airlock}.
     */
    public SkillRunner(Airlock airlock) {
        this(airlock, () -> CodeInterpreter.builder().airlock(airlock).build());
    }

    /**
     * A runner that makes its {@link CodeInterpreter} with {@code interpreters} when first needed.
     */
    public SkillRunner(Airlock airlock, java.util.function.Supplier<CodeInterpreter> interpreters) {
        this(airlock, interpreters, null, c -> {});
    }

    /**
     * A runner whose skills may call the skills they declare in {@code capabilities.skills}, taken
     * from {@code registry} (verified again at every call), through the host tools {@code
     * skill:NAME/TOOL}. Each finished call is passed to {@code calls}.
     */
    public SkillRunner(
            Airlock airlock,
            java.util.function.Supplier<CodeInterpreter> interpreters,
            Registry registry,
            java.util.function.Consumer<Call> calls) {
        this.airlock = airlock;
        this.factory = interpreters;
        this.registry = registry;
        this.calls = calls;
    }

    /**
     * How a run ended.
     *
     * @param outcome the sandbox's outcome
     * @param exitCode the exit status as the CLI gives it (the guest's, 125 stopped, 126 rejected,
     *     70 internal error, {@link #INVALID_OUTPUT} for bad output)
     * @param stdout what the skill wrote on stdout
     * @param output the validated result, or {@code null}
     * @param problem why the output was refused, or {@code null}
     * @param notes what the grant left out ({@link Grants.Effective#notes})
     * @param runId the run's id (from its events), or {@code null} if it sent none
     */
    public record Result(
            Outcome outcome,
            int exitCode,
            byte[] stdout,
            JsonNode output,
            String problem,
            List<String> notes,
            String runId) {}

    /**
     * Where a run stands in a call chain: the skills above it, its deadline, the operator's
     * allowance, and the chain's fuel left ({@link #NO_FUEL_BUDGET} when it has none).
     */
    private record Frame(
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
     * Runs {@code tool} (the only tool if {@code null}) with {@code input} (JSON) under the
     * allowance. The skill's stderr goes to {@code stderr}.
     *
     * <p>The allowance's fuel ceiling, if any, is the fuel budget of the whole call: it meters a
     * wasm skill that runs metered, and it is shared by every skill the run calls (directly or
     * not), each metered callee getting at most what is left of it and what it used being taken
     * off; a skill that cannot be metered itself (an interpreter skill, a wasm skill calling tools)
     * is not metered, but its callees still draw from that budget. A callee's time is at most its
     * caller's remaining time, and the caller's clock runs while it waits.
     *
     * @throws SkillException {@code NOT_FOUND} for an unknown tool, {@code INPUT} for input that is
     *     not JSON or does not fit the schema
     */
    public Result run(
            Registry.Installed skill,
            String tool,
            byte[] input,
            Allowance allowance,
            OutputStream stderr,
            EventSink events)
            throws SkillException {
        return run(skill, tool, input, allowance, stderr, events, null, null, null);
    }

    private Result run(
            Registry.Installed skill,
            String tool,
            byte[] input,
            Allowance allowance,
            OutputStream stderr,
            EventSink events,
            Frame caller,
            String parentRunId,
            String callerName)
            throws SkillException {
        Manifest m = skill.checked().manifest();
        Manifest.ToolSpec spec = tool(m, tool);
        JsonNode in = Json.parse(input, "input", SkillException.Kind.INPUT);
        String why = Schemas.validate(spec.inputSchema(), in);
        if (why != null) {
            throw new SkillException(SkillException.Kind.INPUT, "tool " + spec.name() + ": " + why);
        }
        boolean wasm = m.entry().kind() == Manifest.Entry.Kind.WASM;
        boolean linked = wasm && callsTools(skill);
        boolean box = dev.airlock.skills.box.BoxSkill.isBox(skill.files());
        // the chain's fuel budget: the operator's fuel ceiling, shared by every skill it calls
        java.util.concurrent.atomic.AtomicLong fuelLeft =
                caller != null
                        ? caller.fuelLeft()
                        : new java.util.concurrent.atomic.AtomicLong(
                                allowance.limits().fuel().orElse(NO_FUEL_BUDGET));
        if (!wasm || linked || box) {
            // a skill that cannot be metered itself: the budget is its callees' only
            allowance = allowance.withLimits(allowance.limits().toBuilder().noFuel().build());
        }
        byte[] stdin = Json.write(in).getBytes(StandardCharsets.UTF_8);
        // the operator's allowance, never a caller's grants, bounds every skill in a chain
        Allowance operator = caller == null ? allowance : caller.operator();
        List<String> chain = new java.util.ArrayList<>();
        if (caller != null) {
            chain.addAll(caller.chain());
        }
        chain.add(m.name());
        java.util.concurrent.atomic.AtomicReference<String> runId =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong started =
                new java.util.concurrent.atomic.AtomicLong();
        Duration timeout = Grants.limits(m.limits(), allowance.limits()).timeout();
        Frame here =
                new Frame(
                        List.copyOf(chain),
                        started,
                        Math.min(timeout.toNanos(), Long.MAX_VALUE / 4),
                        operator,
                        fuelLeft);
        Allowance withSkills =
                allowance.withTools(skillTools(m, allowance.tools(), here, runId, stderr, events));
        Grants.Effective g = Grants.effective(m, withSkills, skill.dir(), spec.name(), stdin);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Stdio stdio = Stdio.of(out, stderr);
        Map<String, Object> link = new java.util.LinkedHashMap<>();
        if (caller != null) {
            // "run:ID", not the bare id: the trail hides long opaque values as possible secrets
            link.put("parentRun", parentRunId == null ? null : "run:" + parentRunId);
            link.put("callerSkill", callerName);
            link.put("callDepth", chain.size() - 1);
        }
        events = capturing(tagged(events, skill, spec.name(), link), runId, started);
        Outcome o;
        if (m.entry().kind() == Manifest.Entry.Kind.COMPONENT) {
            o =
                    ComponentSkill.run(
                            airlock,
                            skill.files(),
                            m,
                            spec.name(),
                            in,
                            g.policy(),
                            out,
                            stderr,
                            events);
        } else if (box) {
            o = runBox(skill, in, g.policy(), out, events);
        } else if (linked) {
            o = runLinked(skill, g.policy(), stdio, events);
        } else if (wasm) {
            o = airlock.run(skill.checked().module(), g.policy(), stdio, events);
        } else {
            o = interpret(m, skill.files(), spec.name(), g.policy(), stdio, events);
        }
        byte[] stdout = out.toByteArray();
        int code = exitStatus(o);
        String id = runId.get();
        if (code != 0) {
            return new Result(o, code, stdout, null, null, g.notes(), id);
        }
        JsonNode result;
        try {
            result = Json.parse(stdout, "output", SkillException.Kind.INPUT);
        } catch (SkillException e) {
            return new Result(o, INVALID_OUTPUT, stdout, null, e.getMessage(), g.notes(), id);
        }
        String bad = Schemas.validate(spec.outputSchema(), result);
        if (bad != null) {
            return new Result(
                    o,
                    INVALID_OUTPUT,
                    stdout,
                    null,
                    "output of " + spec.name() + ": " + bad,
                    g.notes(),
                    id);
        }
        return new Result(o, 0, stdout, result, null, g.notes(), id);
    }

    /** Whether a wasm skill imports the tool bridge for modules ({@link #TOOL_MODULE}). */
    static boolean callsTools(Registry.Installed skill) {
        for (ImportCheck.Need n : skill.checked().needs()) {
            for (String i : n.imports()) {
                if (i.startsWith(TOOL_MODULE + ".")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The host import module through which a WASI skill calls host tools and other skills: {@code
     * call(name_ptr, name_len, args_ptr, args_len) -> i32} calls the tool named by the UTF-8 name
     * with the JSON arguments through the mediation point (as {@code airlock.call} does for the
     * interpreters) and returns the length of its answer, a JSON envelope {@code
     * {"ok":true,"result":...}} or {@code {"ok":false,"error":"..."}} (-1 for a name or arguments
     * outside memory or too large); {@code answer(ptr, cap) -> i32} copies up to {@code cap} bytes
     * of the latest answer to {@code ptr} and returns how many. Such a skill runs as an instance,
     * which cannot be metered: it may not declare a fuel budget (refused at install).
     */
    public static final String TOOL_MODULE = "airlock_tools";

    private Outcome runLinked(
            Registry.Installed skill, Policy policy, Stdio stdio, EventSink events) {
        java.util.concurrent.atomic.AtomicReference<byte[]> last =
                new java.util.concurrent.atomic.AtomicReference<>(new byte[0]);
        List<dev.airlock.core.HostImport.ValueType> i32x4 =
                List.of(
                        dev.airlock.core.HostImport.ValueType.I32,
                        dev.airlock.core.HostImport.ValueType.I32,
                        dev.airlock.core.HostImport.ValueType.I32,
                        dev.airlock.core.HostImport.ValueType.I32);
        List<dev.airlock.core.HostImport.ValueType> i32 =
                List.of(dev.airlock.core.HostImport.ValueType.I32);
        dev.airlock.core.LinkedImport call =
                new dev.airlock.core.LinkedImport(
                        TOOL_MODULE,
                        "call",
                        i32x4,
                        i32,
                        (guest, a) -> {
                            long np = a[0] & 0xffffffffL;
                            long nl = a[1] & 0xffffffffL;
                            long ap = a[2] & 0xffffffffL;
                            long al = a[3] & 0xffffffffL;
                            if (nl + al > dev.airlock.core.Tool.MAX_REQUEST_BYTES
                                    || np + nl > guest.size()
                                    || ap + al > guest.size()) {
                                return new long[] {-1};
                            }
                            String name =
                                    new String(guest.readBytes(np, nl), StandardCharsets.UTF_8);
                            String args =
                                    new String(guest.readBytes(ap, al), StandardCharsets.UTF_8);
                            byte[] answer =
                                    guest.callTool(name, args).getBytes(StandardCharsets.UTF_8);
                            last.set(answer);
                            return new long[] {answer.length};
                        });
        dev.airlock.core.LinkedImport answer =
                new dev.airlock.core.LinkedImport(
                        TOOL_MODULE,
                        "answer",
                        List.of(
                                dev.airlock.core.HostImport.ValueType.I32,
                                dev.airlock.core.HostImport.ValueType.I32),
                        i32,
                        (guest, a) -> {
                            long p = a[0] & 0xffffffffL;
                            long cap = a[1] & 0xffffffffL;
                            byte[] b = last.get();
                            int n = (int) Math.min(b.length, cap);
                            if (p + n > guest.size()) {
                                return new long[] {-1};
                            }
                            guest.writeBytes(p, b, 0, n);
                            return new long[] {n};
                        });
        dev.airlock.core.InstanceSetup setup =
                dev.airlock.core.InstanceSetup.builder()
                        .events(events)
                        .link(call)
                        .link(answer)
                        .build();
        // instances cannot be metered; such skills declare no fuel (checked at install)
        Policy unmetered =
                policy.toBuilder().limits(policy.limits().toBuilder().noFuel().build()).build();
        try (dev.airlock.core.GuestInstance gi =
                airlock.instantiate(skill.checked().module(), unmetered, setup)) {
            return gi.call("_start", stdio).outcome();
        } catch (dev.airlock.core.ModuleRejectedException e) {
            return airlock.rejected(e, events);
        }
    }

    /**
     * The operator's tools plus one host tool {@code skill:NAME/TOOL} for each tool of each skill
     * that {@code m} declares (a declared skill that is not installed gets none: calling it is
     * refused as not granted). Grants keeps only those the manifest declares.
     */
    private Map<String, dev.airlock.core.Tool> skillTools(
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
                        SKILL_TOOL + name + "/" + t,
                        args -> call(here, m.name(), runId.get(), name, t, args, stderr, events));
            }
        }
        return all;
    }

    /**
     * A call from the skill at the end of {@code here}'s chain to {@code name}'s {@code tool}: the
     * callee is taken out of the registry and verified again, and runs in its own instance under
     * its own manifest intersected with the operator's allowance, with at most the caller's
     * remaining time. Refused: a cycle, a depth over {@link #MAX_DEPTH}, no time left, a refused
     * callee, input that does not fit. A failed callee is a tool error for the caller.
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
        if (here.chain().size() > MAX_DEPTH) {
            throw new Exception("skill call refused: calls nest at most " + MAX_DEPTH + " deep");
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
                        && !callsTools(callee);
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
        java.util.concurrent.CompletableFuture<Result> done =
                new java.util.concurrent.CompletableFuture<>();
        Registry.Installed target = callee;
        Thread t =
                new Thread(
                        () -> {
                            try {
                                Result r = null;
                                try {
                                    r =
                                            run(
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
                                        new Call(
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
        Result r;
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

    /**
     * {@code events}, remembering the run's id in {@code runId}: that of its latest {@code
     * CALL_STARTED} event when the run is a call into a long-lived instance (an interpreter), else
     * that of its first event; and in {@code started} when that call or event came.
     */
    private static EventSink capturing(
            EventSink events,
            java.util.concurrent.atomic.AtomicReference<String> runId,
            java.util.concurrent.atomic.AtomicLong started) {
        boolean[] call = {false};
        return e -> {
            if (e.runId() != null) {
                if (e instanceof LifecycleEvent l && l.type() == LifecycleEvent.Type.CALL_STARTED) {
                    // an interpreter makes calls of its own (setting the environment) before the
                    // one that runs the skill's code: the latest call is the skill's
                    call[0] = true;
                    runId.set(e.runId());
                    started.set(System.nanoTime());
                } else if (!call[0] && runId.compareAndSet(null, e.runId())) {
                    started.set(System.nanoTime());
                }
            }
            events.accept(e);
        };
    }

    /** An installed box's tool, run warm as {@code airlock box run} runs it. */
    private Outcome runBox(
            Registry.Installed skill,
            JsonNode input,
            Policy policy,
            OutputStream out,
            EventSink events) {
        try {
            return dev.airlock.skills.box.BoxSkill.run(
                    new dev.airlock.skills.box.BoxRunner(airlock, interpreters()),
                    skill.files(),
                    skill.entry().digest(),
                    input,
                    policy,
                    out,
                    events);
        } catch (dev.airlock.skills.box.BoxException e) {
            return Outcome.rejected("box", e.getMessage(), null);
        }
    }

    private synchronized CodeInterpreter interpreters() {
        if (interpreters == null) {
            interpreters = factory.get();
        }
        return interpreters;
    }

    private Outcome interpret(
            Manifest m,
            SkillFiles files,
            String tool,
            Policy policy,
            Stdio stdio,
            EventSink events) {
        String code = new String(files.get(m.entry().file()), StandardCharsets.UTF_8);
        Language lang;
        if (m.entry().kind() == Manifest.Entry.Kind.PYTHON) {
            lang = Language.PYTHON;
        } else {
            lang = Language.JAVASCRIPT;
            code = "globalThis.AIRLOCK_TOOL = " + Json.write(tool) + ";\n" + code;
        }
        return interpreters().run(lang, code, policy, stdio, events, Map.of()).outcome();
    }

    /**
     * {@code events} with the skill's identity (name, version, tool, digest, publisher and key id)
     * added to the details of the run's outcome event, so the audit trail says which signed skill
     * ran.
     */
    static EventSink tagged(EventSink events, Registry.Installed skill, String tool) {
        return tagged(events, skill, tool, Map.of());
    }

    static EventSink tagged(
            EventSink events, Registry.Installed skill, String tool, Map<String, Object> link) {
        if (events == EventSink.none()) {
            return events;
        }
        Map<String, Object> who = new java.util.LinkedHashMap<>(link);
        who.put("skill", skill.entry().name());
        who.put("skillVersion", skill.entry().version());
        who.put("skillTool", tool);
        // "sha256:HEX": a bare hex digest would be hidden from the trail as a possible secret
        who.put("skillDigest", "sha256:" + skill.entry().digest());
        who.put("skillPublisher", skill.entry().publisher());
        who.put("skillKeyId", skill.entry().keyId());
        return e -> {
            if (e instanceof LifecycleEvent l && l.type() == LifecycleEvent.Type.OUTCOME) {
                Map<String, Object> d = new java.util.LinkedHashMap<>(l.details());
                d.putAll(who);
                e =
                        new LifecycleEvent(
                                l.seq(),
                                l.timeMillis(),
                                l.runId(),
                                l.sessionId(),
                                l.moduleSha256(),
                                l.type(),
                                java.util.Collections.unmodifiableMap(d));
            }
            events.accept(e);
        };
    }

    /** The tool named {@code name}, or the only one if {@code name} is null. */
    static Manifest.ToolSpec tool(Manifest m, String name) throws SkillException {
        if (name == null) {
            if (m.tools().size() == 1) {
                return m.tools().get(0);
            }
            throw new SkillException(
                    SkillException.Kind.NOT_FOUND,
                    m.name() + " has several tools; name one of: " + toolNames(m));
        }
        Manifest.ToolSpec t = m.tool(name);
        if (t == null) {
            throw new SkillException(
                    SkillException.Kind.NOT_FOUND,
                    m.name() + " has no tool '" + name + "' (tools: " + toolNames(m) + ")");
        }
        return t;
    }

    private static String toolNames(Manifest m) {
        return String.join(", ", m.tools().stream().map(Manifest.ToolSpec::name).toList());
    }

    /** The CLI's exit status for an outcome (as {@code airlock run}). */
    public static int exitStatus(Outcome o) {
        switch (o.status()) {
            case OK:
                return 0;
            case EXIT:
                return o.exitCode() == null ? 1 : o.exitCode();
            case TRAP:
            case LIMIT:
                return 125;
            case REJECTED:
                return 126;
            default:
                return 70;
        }
    }

    @Override
    public synchronized void close() {
        if (interpreters != null) {
            interpreters.close();
        }
    }
}
