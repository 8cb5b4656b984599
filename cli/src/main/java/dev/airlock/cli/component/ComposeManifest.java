package dev.airlock.cli.component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.core.ClockMode;
import dev.airlock.core.Durations;
import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.Size;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON file {@code airlock compose} reads: the components (each a file and its own policy), the
 * links between them and the root that runs. Paths are relative to the manifest's folder. Every
 * problem is one line naming the field.
 */
record ComposeManifest(
        String root, Map<String, Path> files, Map<String, Policy> policies, List<String[]> links) {
    static final long MAX_BYTES = 1 << 20;

    private static final Set<String> COMPONENT_FIELDS =
            Set.of(
                    "file",
                    "args",
                    "env",
                    "mounts",
                    "clock",
                    "random",
                    "timeout",
                    "memory",
                    "maxOutput",
                    "stdin");

    /** A manifest that cannot be used. */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;

        Problem(String message) {
            super(message, null, false, false);
        }
    }

    static ComposeManifest read(Path file, List<String> rootArgs) throws Problem {
        JsonNode n;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new Problem(file + ": larger than 1 MiB");
            }
            n = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new Problem(file + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Problem("cannot read " + file + ": " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        if (n == null || !n.isObject()) {
            throw new Problem(file + ": expected a JSON object");
        }
        JsonNode comps = n.get("components");
        if (comps == null || !comps.isObject() || comps.isEmpty()) {
            throw new Problem(file + ": components: expected an object of components");
        }
        String root = text(n, "root", file + ": root");
        if (!comps.has(root)) {
            throw new Problem(file + ": root: no component " + root);
        }
        Map<String, Path> files = new LinkedHashMap<>();
        Map<String, Policy> policies = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = comps.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = file + ": components." + e.getKey();
            JsonNode c = e.getValue();
            if (!c.isObject()) {
                throw new Problem(where + ": expected an object");
            }
            for (Iterator<String> f = c.fieldNames(); f.hasNext(); ) {
                String name = f.next();
                if (!COMPONENT_FIELDS.contains(name)) {
                    throw new Problem(where + ": unknown field " + name);
                }
            }
            files.put(e.getKey(), dir.resolve(text(c, "file", where + ".file")));
            List<String> extra = e.getKey().equals(root) ? rootArgs : List.of();
            policies.put(e.getKey(), policy(c, dir, where, extra));
        }
        List<String[]> links = new ArrayList<>();
        JsonNode ls = n.get("links");
        if (ls != null) {
            if (!ls.isArray()) {
                throw new Problem(file + ": links: expected an array");
            }
            for (int i = 0; i < ls.size(); i++) {
                String where = file + ": links[" + i + "]";
                JsonNode l = ls.get(i);
                String[] link = {
                    text(l, "component", where + ".component"),
                    text(l, "import", where + ".import"),
                    text(l, "from", where + ".from")
                };
                for (String c : new String[] {link[0], link[2]}) {
                    if (!comps.has(c)) {
                        throw new Problem(where + ": no component " + c);
                    }
                }
                links.add(link);
            }
        }
        return new ComposeManifest(root, files, policies, links);
    }

    private static String text(JsonNode n, String field, String where) throws Problem {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new Problem(where + ": expected a string");
        }
        return v.asText();
    }

    private static Policy policy(JsonNode c, Path dir, String where, List<String> extra)
            throws Problem {
        Policy.Builder p = Policy.builder();
        try {
            List<String> args = new ArrayList<>(strings(c.get("args"), where + ".args"));
            args.addAll(extra);
            p.args(args);
            JsonNode env = c.get("env");
            if (env != null) {
                if (!env.isObject()) {
                    throw new Problem(where + ".env: expected an object of strings");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isTextual()) {
                        throw new Problem(where + ".env." + e.getKey() + ": expected a string");
                    }
                    p.env(e.getKey(), e.getValue().asText());
                }
            }
            for (String m : strings(c.get("mounts"), where + ".mounts")) {
                Mount mount = Mount.parse(m);
                p.mount(new Mount(dir.resolve(mount.host()), mount.guestPath(), mount.mode()));
            }
            if (c.has("clock")) {
                p.clock(
                        ClockMode.valueOf(
                                text(c, "clock", where + ".clock").toUpperCase(Locale.ROOT)));
            }
            if (c.has("random")) {
                p.random(RandomMode.parse(text(c, "random", where + ".random")));
            }
            if (c.has("stdin")) {
                p.stdin(dir.resolve(text(c, "stdin", where + ".stdin")));
            }
            Limits.Builder l = Limits.builder();
            if (c.has("timeout")) {
                l.timeout(Durations.parse(text(c, "timeout", where + ".timeout")));
            }
            if (c.has("memory")) {
                l.memoryBytes(Size.parse(text(c, "memory", where + ".memory")));
            }
            if (c.has("maxOutput")) {
                l.maxOutputBytes(Size.parse(text(c, "maxOutput", where + ".maxOutput")));
            }
            p.limits(l.build());
            return p.build();
        } catch (IllegalArgumentException e) {
            throw new Problem(where + ": " + e.getMessage());
        }
    }

    private static List<String> strings(JsonNode n, String where) throws Problem {
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!n.isArray()) {
            throw new Problem(where + ": expected an array of strings");
        }
        for (JsonNode v : n) {
            if (!v.isTextual()) {
                throw new Problem(where + ": expected an array of strings");
            }
            out.add(v.asText());
        }
        return out;
    }
}
