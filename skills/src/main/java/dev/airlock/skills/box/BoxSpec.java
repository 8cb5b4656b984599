package dev.airlock.skills.box;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a box runs, as its Dockerfile said ({@code box.json} in the box): the runtime, the working
 * folder, ENTRYPOINT and CMD (exec form), the environment, and what is recorded but not applied
 * (USER, EXPOSE, LABEL).
 *
 * @param from the FROM image as written (after ARG substitution)
 * @param runtime {@code python}, {@code javascript} or {@code wasm}
 * @param workdir the working folder (absolute)
 * @param entrypoint ENTRYPOINT's words (empty when none)
 * @param cmd CMD's words (empty when none): replaced by the arguments of a run
 * @param env ENV's variables, in order
 * @param user USER, recorded only (null when none)
 * @param expose EXPOSE's ports, noted only (inbound network is not supported)
 * @param labels LABEL's pairs
 * @param warm the modules imported into the box's pre-initialised image (Python), or empty
 */
public record BoxSpec(
        String from,
        String runtime,
        String workdir,
        List<String> entrypoint,
        List<String> cmd,
        Map<String, String> env,
        String user,
        List<String> expose,
        Map<String, String> labels,
        List<String> warm) {
    /** The spec's file name in a box. */
    public static final String FILE = "box.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public BoxSpec {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        expose = List.copyOf(expose);
        labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        warm = List.copyOf(warm);
    }

    /** The command line of a run: ENTRYPOINT, then {@code args} or (with none) CMD. */
    public List<String> argv(List<String> args) {
        List<String> out = new ArrayList<>(entrypoint);
        out.addAll(args.isEmpty() ? cmd : args);
        return out;
    }

    /** The spec as {@code box.json}. */
    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", 1);
        o.put("from", from);
        o.put("runtime", runtime);
        o.put("workdir", workdir);
        entrypoint.forEach(o.putArray("entrypoint")::add);
        cmd.forEach(o.putArray("cmd")::add);
        ObjectNode e = o.putObject("env");
        env.forEach(e::put);
        if (user != null) {
            o.put("user", user);
        }
        expose.forEach(o.putArray("expose")::add);
        ObjectNode l = o.putObject("labels");
        labels.forEach(l::put);
        warm.forEach(o.putArray("warm")::add);
        try {
            return JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(o)
                    .concat("\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (java.io.IOException x) {
            throw new IllegalStateException(x);
        }
    }

    /**
     * Reads {@code box.json}.
     *
     * @throws BoxException if it is not a box spec
     */
    public static BoxSpec parse(byte[] bytes) throws BoxException {
        try {
            JsonNode o = JSON.readTree(bytes);
            if (o == null || !o.isObject() || o.path("format").asInt() != 1) {
                throw new BoxException("box.json: not a box (format 1)");
            }
            String runtime = o.path("runtime").asText();
            if (!List.of("python", "javascript", "wasm").contains(runtime)) {
                throw new BoxException("box.json: unknown runtime '" + runtime + "'");
            }
            String workdir = o.path("workdir").asText("/");
            if (!workdir.startsWith("/")) {
                throw new BoxException("box.json: workdir must be absolute");
            }
            return new BoxSpec(
                    o.path("from").asText(),
                    runtime,
                    workdir,
                    strings(o.path("entrypoint")),
                    strings(o.path("cmd")),
                    map(o.path("env")),
                    o.hasNonNull("user") ? o.get("user").asText() : null,
                    strings(o.path("expose")),
                    map(o.path("labels")),
                    strings(o.path("warm")));
        } catch (java.io.IOException e) {
            throw new BoxException("box.json: not JSON");
        }
    }

    private static List<String> strings(JsonNode n) throws BoxException {
        List<String> out = new ArrayList<>();
        if (n.isMissingNode()) {
            return out;
        }
        if (!n.isArray()) {
            throw new BoxException("box.json: expected a list of strings");
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new BoxException("box.json: expected a list of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static Map<String, String> map(JsonNode n) throws BoxException {
        Map<String, String> out = new LinkedHashMap<>();
        if (n.isMissingNode()) {
            return out;
        }
        if (!n.isObject()) {
            throw new BoxException("box.json: expected an object of strings");
        }
        var it = n.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw new BoxException("box.json: expected an object of strings");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
