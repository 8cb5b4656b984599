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

    private final Airlock airlock;
    private final java.util.function.Supplier<CodeInterpreter> factory;
    private CodeInterpreter interpreters;

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
        this.airlock = airlock;
        this.factory = interpreters;
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
     */
    public record Result(
            Outcome outcome,
            int exitCode,
            byte[] stdout,
            JsonNode output,
            String problem,
            List<String> notes) {}

    /**
     * Runs {@code tool} (the only tool if {@code null}) with {@code input} (JSON) under the
     * allowance. The skill's stderr goes to {@code stderr}.
     *
     * @throws SkillException {@code NOT_FOUND} for an unknown tool, {@code INPUT} for input that is
     *     not JSON or does not fit the schema
     * @throws IllegalArgumentException for an allowance that cannot apply (a fuel ceiling for an
     *     interpreter skill)
     */
    public Result run(
            Registry.Installed skill,
            String tool,
            byte[] input,
            Allowance allowance,
            OutputStream stderr,
            EventSink events)
            throws SkillException {
        Manifest m = skill.checked().manifest();
        Manifest.ToolSpec spec = tool(m, tool);
        JsonNode in = Json.parse(input, "input", SkillException.Kind.INPUT);
        String why = Schemas.validate(spec.inputSchema(), in);
        if (why != null) {
            throw new SkillException(SkillException.Kind.INPUT, "tool " + spec.name() + ": " + why);
        }
        boolean wasm = m.entry().kind() == Manifest.Entry.Kind.WASM;
        if (!wasm && allowance.limits().fuel().isPresent()) {
            throw new IllegalArgumentException(
                    "a fuel budget applies to wasm skills only ("
                            + m.name()
                            + " is "
                            + m.entry().kind().id()
                            + ")");
        }
        byte[] stdin = Json.write(in).getBytes(StandardCharsets.UTF_8);
        Grants.Effective g = Grants.effective(m, allowance, skill.dir(), spec.name(), stdin);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Stdio stdio = Stdio.of(out, stderr);
        events = tagged(events, skill, spec.name());
        Outcome o;
        if (wasm) {
            o = airlock.run(skill.checked().module(), g.policy(), stdio, events);
        } else {
            o = interpret(m, skill.files(), spec.name(), g.policy(), stdio, events);
        }
        byte[] stdout = out.toByteArray();
        int code = exitStatus(o);
        if (code != 0) {
            return new Result(o, code, stdout, null, null, g.notes());
        }
        JsonNode result;
        try {
            result = Json.parse(stdout, "output", SkillException.Kind.INPUT);
        } catch (SkillException e) {
            return new Result(o, INVALID_OUTPUT, stdout, null, e.getMessage(), g.notes());
        }
        String bad = Schemas.validate(spec.outputSchema(), result);
        if (bad != null) {
            return new Result(
                    o,
                    INVALID_OUTPUT,
                    stdout,
                    null,
                    "output of " + spec.name() + ": " + bad,
                    g.notes());
        }
        return new Result(o, 0, stdout, result, null, g.notes());
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
        synchronized (this) {
            if (interpreters == null) {
                interpreters = factory.get();
            }
        }
        return interpreters.run(lang, code, policy, stdio, events, Map.of()).outcome();
    }

    /**
     * {@code events} with the skill's identity (name, version, tool, digest, publisher and key id)
     * added to the details of the run's outcome event, so the audit trail says which signed skill
     * ran.
     */
    static EventSink tagged(EventSink events, Registry.Installed skill, String tool) {
        if (events == EventSink.none()) {
            return events;
        }
        Map<String, Object> who = new java.util.LinkedHashMap<>();
        who.put("skill", skill.entry().name());
        who.put("skillVersion", skill.entry().version());
        who.put("skillTool", tool);
        who.put("skillDigest", skill.entry().digest());
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
