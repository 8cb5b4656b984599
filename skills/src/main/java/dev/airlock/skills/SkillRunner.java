package dev.airlock.skills;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.core.Airlock;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.EventSink;
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

    private final Airlock airlock;
    private final java.util.function.Supplier<CodeInterpreter> factory;
    private final SkillChain skillChain;
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
        this.skillChain = new SkillChain(this, airlock, registry, calls);
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

    /**
     * Runs a skill as {@link #run(Registry.Installed, String, byte[], Allowance, OutputStream,
     * EventSink)} does; for a call from another skill, {@code caller} is where the caller stands in
     * its chain, {@code parentRunId} its run id and {@code callerName} its name (all null for a
     * skill run directly).
     */
    Result run(
            Registry.Installed skill,
            String tool,
            byte[] input,
            Allowance allowance,
            OutputStream stderr,
            EventSink events,
            SkillChain.Frame caller,
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
        boolean linked = wasm && ToolBridge.callsTools(skill);
        boolean box = dev.airlock.skills.box.BoxSkill.isBox(skill.files());
        // the chain's fuel budget: the operator's fuel ceiling, shared by every skill it calls
        java.util.concurrent.atomic.AtomicLong fuelLeft =
                caller != null
                        ? caller.fuelLeft()
                        : new java.util.concurrent.atomic.AtomicLong(
                                allowance.limits().fuel().orElse(SkillChain.NO_FUEL_BUDGET));
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
        SkillChain.Frame here =
                new SkillChain.Frame(
                        List.copyOf(chain),
                        started,
                        Math.min(timeout.toNanos(), Long.MAX_VALUE / 4),
                        operator,
                        fuelLeft);
        Allowance withSkills =
                allowance.withTools(
                        skillChain.skillTools(m, allowance.tools(), here, runId, stderr, events));
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
        events =
                SkillEvents.capturing(
                        SkillEvents.tagged(events, skill, spec.name(), link), runId, started);
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
            o = ToolBridge.run(airlock, skill, g.policy(), stdio, events);
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
