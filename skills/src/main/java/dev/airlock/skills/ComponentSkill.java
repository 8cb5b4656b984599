package dev.airlock.skills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.airlock.components.Component;
import dev.airlock.components.ComponentException;
import dev.airlock.components.ComponentInstance;
import dev.airlock.components.ComponentResult;
import dev.airlock.core.Airlock;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.EventSink;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Skills whose entry is a WebAssembly component ({@code "kind": "component"}): each tool is the
 * exported function of the same name (at the top level, or the one function of that name in an
 * exported interface), called with the tool's JSON input as named arguments (an object with one
 * property per parameter), and its JSON result is the tool's output (a returned {@code result}'s
 * error fails the run with exit code 1, its payload as the output). What the component imports
 * needs capabilities as a module's imports do: {@code wasi:clocks} the clock, {@code wasi:random}
 * randomness; {@code wasi:cli}, {@code wasi:io} and {@code wasi:filesystem} reach only what the
 * policy grants (the skill's mounts); anything else (sockets, other components' interfaces) no
 * skill may import.
 */
final class ComponentSkill {
    private ComponentSkill() {}

    /** Parses and links the entry. */
    static Component load(SkillFiles files, Manifest m) throws SkillException {
        try {
            return Component.load(files.get(m.entry().file()));
        } catch (ComponentException e) {
            throw new SkillException(
                    SkillException.Kind.INVALID,
                    m.entry().file() + ": component rejected: " + e.getMessage());
        }
    }

    /** Checks that every tool names an exported function; lists what the imports need. */
    static List<ImportCheck.Need> needs(Component c, Manifest m) throws SkillException {
        for (Manifest.ToolSpec t : m.tools()) {
            function(c, t.name(), m);
        }
        Map<String, TreeSet<String>> by = new LinkedHashMap<>();
        for (String iface : c.imports()) {
            by.computeIfAbsent(capability(iface), k -> new TreeSet<>()).add(iface);
        }
        List<ImportCheck.Need> out = new ArrayList<>();
        for (Map.Entry<String, TreeSet<String>> e : by.entrySet()) {
            out.add(
                    new ImportCheck.Need(
                            e.getKey(),
                            List.copyOf(e.getValue()),
                            ImportCheck.declared(e.getKey(), m, false)));
        }
        return out;
    }

    /** The capability an imported interface needs. */
    static String capability(String iface) {
        int at = iface.indexOf('@');
        String name = at < 0 ? iface : iface.substring(0, at);
        if (name.startsWith("wasi:clocks/")) {
            return "clock";
        }
        if (name.startsWith("wasi:random/")) {
            return "random";
        }
        if (name.startsWith("wasi:sockets/")) {
            return "network";
        }
        if (name.startsWith("wasi:cli/")
                || name.startsWith("wasi:io/")
                || name.startsWith("wasi:filesystem/")) {
            return "stdio";
        }
        return "unknown:" + iface;
    }

    /** The exported function a tool names. */
    static String function(Component c, String tool, Manifest m) throws SkillException {
        String found = null;
        for (String f : c.functions()) {
            if (f.equals(tool) || f.endsWith("#" + tool)) {
                if (found != null) {
                    throw new SkillException(
                            SkillException.Kind.INVALID,
                            "tool " + tool + ": two exported functions have that name");
                }
                found = f;
            }
        }
        if (found == null) {
            throw new SkillException(
                    SkillException.Kind.INVALID,
                    m.entry().file() + " exports no function for tool " + tool);
        }
        return found;
    }

    /**
     * Runs one tool: the component instantiated under the policy, the function called with the
     * input object's properties as its arguments, the JSON result written to {@code out}.
     */
    static Outcome run(
            Airlock airlock,
            SkillFiles files,
            Manifest m,
            String tool,
            JsonNode input,
            Policy policy,
            OutputStream out,
            OutputStream err,
            EventSink events)
            throws SkillException {
        Component c = load(files, m);
        String fn = function(c, tool, m);
        ArrayNode args = JsonNodeFactory.instance.arrayNode();
        List<String> names = c.parameterNames(fn);
        if (!input.isObject()) {
            throw new SkillException(
                    SkillException.Kind.INPUT,
                    "tool " + tool + ": expected an object of arguments");
        }
        for (String n : names) {
            if (!input.has(n)) {
                throw new SkillException(
                        SkillException.Kind.INPUT, "tool " + tool + ": missing argument " + n);
            }
            args.add(input.get(n));
        }
        try (ComponentInstance ci = ComponentInstance.create(airlock, c, policy, events)) {
            ByteArrayOutputStream guestOut = new ByteArrayOutputStream();
            ComponentResult r = ci.call(fn, args, Stdio.of(guestOut, err));
            Outcome o = r.outcome();
            if (o.status() != Status.OK) {
                return o;
            }
            JsonNode value = r.error() ? r.value().get("error") : r.value();
            out.write(Json.write(value).getBytes(StandardCharsets.UTF_8));
            return r.asCommand();
        } catch (ComponentException e) {
            if (e.kind() == ComponentException.Kind.BAD_CALL) {
                throw new SkillException(
                        SkillException.Kind.INPUT, "tool " + tool + ": " + e.getMessage());
            }
            return ComponentResult.refused(e.getMessage(), null);
        } catch (ModuleRejectedException e) {
            return ComponentResult.refused(e.getMessage(), null);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
