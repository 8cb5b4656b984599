package dev.airlock.skills;

import static dev.airlock.skills.ManifestFields.MAX_TEXT;
import static dev.airlock.skills.ManifestFields.invalid;
import static dev.airlock.skills.ManifestFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.core.Durations;
import dev.airlock.core.Size;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The parser of a {@code skill.json}: its top-level fields, its tools, its entry and its limits
 * (the capabilities are {@link CapabilitiesParser}'s), accepting only a complete, valid manifest
 * and refusing unknown keys.
 */
final class ManifestParser {
    private static final int MAX_TOOLS = 64;

    private ManifestParser() {}

    /**
     * Parses and validates a manifest ({@link Manifest#parse}).
     *
     * @throws SkillException ({@code INVALID}) naming the first problem
     */
    static Manifest parse(byte[] bytes) throws SkillException {
        JsonNode root = Json.parse(bytes, Manifest.FILE, SkillException.Kind.INVALID);
        if (!root.isObject()) {
            throw invalid("the manifest must be a JSON object");
        }
        Json.onlyKeys(
                root,
                Manifest.FILE,
                Set.of(
                        "name",
                        "version",
                        "description",
                        "publisher",
                        "tools",
                        "entry",
                        "capabilities",
                        "limits"));
        String name = text(root, "name", true, Manifest.MAX_NAME);
        if (!Manifest.NAME.matcher(name).matches()) {
            throw invalid("name: '" + name + "' must be lower-case letters, digits and dashes");
        }
        String v = text(root, "version", true, 64);
        Semver version;
        try {
            version = Semver.parse(v);
        } catch (IllegalArgumentException e) {
            throw invalid("version: " + e.getMessage());
        }
        String description = text(root, "description", true, MAX_TEXT);
        String publisher = text(root, "publisher", true, 128);
        List<Manifest.ToolSpec> tools = tools(root.get("tools"));
        Manifest.Entry entry = entry(root.get("entry"));
        Manifest.Capabilities caps = CapabilitiesParser.capabilities(root.get("capabilities"));
        Manifest.SkillLimits limits = limits(root.get("limits"));
        if (entry.kind() != Manifest.Entry.Kind.WASM && limits.fuel() != null) {
            throw invalid("limits.fuel: only wasm skills can be metered");
        }
        return new Manifest(name, version, description, publisher, tools, entry, caps, limits);
    }

    private static List<Manifest.ToolSpec> tools(JsonNode n) throws SkillException {
        if (n == null || !n.isArray() || n.isEmpty()) {
            throw invalid("tools: expected a non-empty list");
        }
        if (n.size() > MAX_TOOLS) {
            throw invalid("tools: more than " + MAX_TOOLS);
        }
        List<Manifest.ToolSpec> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode t = n.get(i);
            String where = "tools[" + i + "]";
            if (!t.isObject()) {
                throw invalid(where + ": expected an object");
            }
            Json.onlyKeys(t, where, Set.of("name", "description", "inputSchema", "outputSchema"));
            String name = text(t, "name", true, Manifest.MAX_NAME, where);
            if (!Manifest.TOOL.matcher(name).matches()) {
                throw invalid(
                        where
                                + ".name: '"
                                + name
                                + "' must be lower-case letters, digits, _ and -");
            }
            if (!seen.add(name)) {
                throw invalid(where + ".name: duplicate tool '" + name + "'");
            }
            String description = text(t, "description", true, MAX_TEXT, where);
            JsonNode in = t.get("inputSchema");
            JsonNode out2 = t.get("outputSchema");
            if (in == null || out2 == null) {
                throw invalid(where + ": inputSchema and outputSchema are required");
            }
            Schemas.check(in, where + ".inputSchema");
            Schemas.check(out2, where + ".outputSchema");
            out.add(new Manifest.ToolSpec(name, description, in, out2));
        }
        return List.copyOf(out);
    }

    private static Manifest.Entry entry(JsonNode n) throws SkillException {
        if (n == null || !n.isObject()) {
            throw invalid("entry: expected an object {kind, file}");
        }
        Json.onlyKeys(n, "entry", Set.of("kind", "file"));
        String kind = text(n, "kind", true, 16, "entry");
        Manifest.Entry.Kind k;
        switch (kind) {
            case "wasm":
                k = Manifest.Entry.Kind.WASM;
                break;
            case "python":
                k = Manifest.Entry.Kind.PYTHON;
                break;
            case "javascript":
                k = Manifest.Entry.Kind.JAVASCRIPT;
                break;
            case "component":
                k = Manifest.Entry.Kind.COMPONENT;
                break;
            default:
                throw invalid(
                        "entry.kind: '" + kind + "' is not wasm, component, python or javascript");
        }
        String file = text(n, "file", true, 255, "entry");
        String why = SkillFiles.pathProblem(file);
        if (why != null) {
            throw invalid("entry.file: " + why);
        }
        if (file.equals(Manifest.FILE) || file.equals(SkillFiles.SIGNATURE)) {
            throw invalid("entry.file: must not be " + file);
        }
        return new Manifest.Entry(k, file);
    }

    private static Manifest.SkillLimits limits(JsonNode n) throws SkillException {
        if (n == null) {
            return Manifest.SkillLimits.NONE;
        }
        if (!n.isObject()) {
            throw invalid("limits: expected an object");
        }
        Json.onlyKeys(
                n,
                "limits",
                Set.of("fuel", "memory", "timeout", "output", "tensor", "computations"));
        Long fuel = positive(n, "fuel");
        Long computations = positive(n, "computations");
        try {
            Long memory =
                    n.has("memory") ? Size.parse(text(n, "memory", true, 32, "limits")) : null;
            Duration timeout =
                    n.has("timeout")
                            ? Durations.parse(text(n, "timeout", true, 32, "limits"))
                            : null;
            Long output =
                    n.has("output") ? Size.parse(text(n, "output", true, 32, "limits")) : null;
            Long tensor =
                    n.has("tensor") ? Size.parse(text(n, "tensor", true, 32, "limits")) : null;
            if ((memory != null && memory <= 0)
                    || (output != null && output <= 0)
                    || (tensor != null && tensor <= 0)
                    || (timeout != null && (timeout.isZero() || timeout.isNegative()))) {
                throw invalid("limits: memory, timeout, output and tensor must be positive");
            }
            if (memory != null
                    && (memory % dev.airlock.core.Limits.PAGE != 0
                            || memory > dev.airlock.core.Limits.MAX_MEMORY)) {
                throw invalid("limits.memory: must be a multiple of 64KiB, at most 4GiB");
            }
            return new Manifest.SkillLimits(fuel, memory, timeout, output, tensor, computations);
        } catch (IllegalArgumentException e) {
            throw invalid("limits: " + e.getMessage());
        }
    }

    private static Long positive(JsonNode n, String key) throws SkillException {
        if (!n.has(key)) {
            return null;
        }
        JsonNode f = n.get(key);
        if (!f.canConvertToExactIntegral() || !f.canConvertToLong() || f.asLong() <= 0) {
            throw invalid("limits." + key + ": expected a positive integer");
        }
        return f.asLong();
    }
}
