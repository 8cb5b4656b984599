package dev.airlock.skills;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.core.Durations;
import dev.airlock.core.Mount;
import dev.airlock.core.Size;
import dev.airlock.core.net.NetLimits;
import dev.airlock.core.net.NetRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A skill's {@code skill.json}: who made it, its tools with their JSON Schemas, its entry, the
 * capabilities it needs and its limits. {@link #parse} accepts only a complete, valid manifest and
 * refuses unknown keys everywhere.
 */
public record Manifest(
        String name,
        Semver version,
        String description,
        String publisher,
        List<ToolSpec> tools,
        Entry entry,
        Capabilities capabilities,
        SkillLimits limits) {

    /** The manifest's file name in a skill. */
    public static final String FILE = "skill.json";

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(?:-[a-z0-9]+)*");
    static final Pattern TOOL = Pattern.compile("[a-z][a-z0-9_]*(?:-[a-z0-9_]+)*");
    static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    static final Pattern SKILL_REF =
            Pattern.compile("[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:/[a-z0-9_-]+)?");
    private static final int MAX_NAME = 64;
    private static final int MAX_TEXT = 4096;
    private static final int MAX_TOOLS = 64;
    private static final int MAX_ITEMS = 64;

    /** One tool of the skill. */
    public record ToolSpec(
            String name, String description, JsonNode inputSchema, JsonNode outputSchema) {}

    /**
     * How the skill runs: {@code wasm} (a WASI command module), {@code python}, {@code javascript}.
     */
    public record Entry(Kind kind, String file) {
        /** The kind of code. */
        public enum Kind {
            WASM,
            PYTHON,
            JAVASCRIPT,
            /** A WebAssembly component: each tool is one of its exported functions. */
            COMPONENT;

            public String id() {
                return name().toLowerCase(Locale.ROOT);
            }
        }
    }

    /** A folder the skill asks for, bound to a host folder by the operator at run time. */
    public record MountGrant(String guest, Mount.Mode mode, String purpose) {}

    /** What the skill needs; everything not listed is denied. */
    public record Capabilities(
            List<MountGrant> mounts,
            List<String> env,
            boolean clock,
            boolean random,
            List<String> tools,
            List<String> skills,
            List<String> nn,
            NetGrant net) {
        static final Capabilities NONE =
                new Capabilities(
                        List.of(),
                        List.of(),
                        false,
                        false,
                        List.of(),
                        List.of(),
                        List.of(),
                        NetGrant.NONE);
    }

    /**
     * The network a skill asks for ({@code capabilities.net}): rules written as for {@code
     * --allow-net}, and limits of its own, each {@code null} when the skill leaves it to the
     * operator. A skill gets only requests both its rules and the operator's allow, and never a
     * secret unless the operator binds one at run time.
     */
    public record NetGrant(
            List<NetRule> rules,
            Integer maxRequests,
            Long maxBytesOut,
            Long maxBytesIn,
            Duration timeout,
            Integer maxConcurrent) {
        static final NetGrant NONE = new NetGrant(List.of(), null, null, null, null, null);

        public NetGrant {
            rules = List.copyOf(rules);
        }

        /** Whether the skill declares any network. */
        public boolean declared() {
            return !rules.isEmpty();
        }

        /**
         * The limits of a run: each the skill's own where it sets one lower, else the ceiling's.
         */
        public NetLimits limits(NetLimits ceiling) {
            NetLimits own =
                    new NetLimits(
                            maxRequests == null ? ceiling.maxRequests() : maxRequests,
                            maxBytesOut == null ? ceiling.maxBytesOut() : maxBytesOut,
                            maxBytesIn == null ? ceiling.maxBytesIn() : maxBytesIn,
                            timeout == null ? ceiling.requestTimeout() : timeout,
                            maxConcurrent == null ? ceiling.maxConcurrent() : maxConcurrent);
            return own.atMost(ceiling);
        }
    }

    /**
     * The skill's own limits; {@code null} leaves a limit to the operator ({@code tensorBytes} and
     * {@code computations}: to WASI-NN's defaults).
     *
     * @param tensorBytes the largest WASI-NN tensor (input or output), in bytes ({@code tensor})
     * @param computations WASI-NN computations per run ({@code computations})
     */
    public record SkillLimits(
            Long fuel,
            Long memoryBytes,
            Duration timeout,
            Long outputBytes,
            Long tensorBytes,
            Long computations) {
        static final SkillLimits NONE = new SkillLimits(null, null, null, null);

        public SkillLimits(Long fuel, Long memoryBytes, Duration timeout, Long outputBytes) {
            this(fuel, memoryBytes, timeout, outputBytes, null, null);
        }
    }

    /** Whether {@code s} is a valid skill (and key) name. */
    public static boolean isName(String s) {
        return s != null && s.length() <= MAX_NAME && NAME.matcher(s).matches();
    }

    /** The tool named {@code name}, or {@code null}. */
    public ToolSpec tool(String name) {
        for (ToolSpec t : tools) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /**
     * Parses and validates a manifest.
     *
     * @throws SkillException ({@code INVALID}) naming the first problem
     */
    public static Manifest parse(byte[] bytes) throws SkillException {
        JsonNode root = Json.parse(bytes, FILE, SkillException.Kind.INVALID);
        if (!root.isObject()) {
            throw invalid("the manifest must be a JSON object");
        }
        Json.onlyKeys(
                root,
                FILE,
                Set.of(
                        "name",
                        "version",
                        "description",
                        "publisher",
                        "tools",
                        "entry",
                        "capabilities",
                        "limits"));
        String name = text(root, "name", true, MAX_NAME);
        if (!NAME.matcher(name).matches()) {
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
        List<ToolSpec> tools = tools(root.get("tools"));
        Entry entry = entry(root.get("entry"));
        Capabilities caps = capabilities(root.get("capabilities"));
        SkillLimits limits = limits(root.get("limits"));
        if (entry.kind() != Entry.Kind.WASM && limits.fuel() != null) {
            throw invalid("limits.fuel: only wasm skills can be metered");
        }
        return new Manifest(name, version, description, publisher, tools, entry, caps, limits);
    }

    private static List<ToolSpec> tools(JsonNode n) throws SkillException {
        if (n == null || !n.isArray() || n.isEmpty()) {
            throw invalid("tools: expected a non-empty list");
        }
        if (n.size() > MAX_TOOLS) {
            throw invalid("tools: more than " + MAX_TOOLS);
        }
        List<ToolSpec> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode t = n.get(i);
            String where = "tools[" + i + "]";
            if (!t.isObject()) {
                throw invalid(where + ": expected an object");
            }
            Json.onlyKeys(t, where, Set.of("name", "description", "inputSchema", "outputSchema"));
            String name = text(t, "name", true, MAX_NAME, where);
            if (!TOOL.matcher(name).matches()) {
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
            out.add(new ToolSpec(name, description, in, out2));
        }
        return List.copyOf(out);
    }

    private static Entry entry(JsonNode n) throws SkillException {
        if (n == null || !n.isObject()) {
            throw invalid("entry: expected an object {kind, file}");
        }
        Json.onlyKeys(n, "entry", Set.of("kind", "file"));
        String kind = text(n, "kind", true, 16, "entry");
        Entry.Kind k;
        switch (kind) {
            case "wasm":
                k = Entry.Kind.WASM;
                break;
            case "python":
                k = Entry.Kind.PYTHON;
                break;
            case "javascript":
                k = Entry.Kind.JAVASCRIPT;
                break;
            case "component":
                k = Entry.Kind.COMPONENT;
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
        if (file.equals(FILE) || file.equals(SkillFiles.SIGNATURE)) {
            throw invalid("entry.file: must not be " + file);
        }
        return new Entry(k, file);
    }

    private static Capabilities capabilities(JsonNode n) throws SkillException {
        if (n == null) {
            return Capabilities.NONE;
        }
        String w = "capabilities";
        if (!n.isObject()) {
            throw invalid(w + ": expected an object");
        }
        Json.onlyKeys(
                n, w, Set.of("mounts", "env", "clock", "random", "tools", "skills", "nn", "net"));
        List<MountGrant> mounts = new ArrayList<>();
        Set<String> guests = new HashSet<>();
        JsonNode ms = list(n, "mounts", w);
        for (int i = 0; i < ms.size(); i++) {
            JsonNode m = ms.get(i);
            String where = w + ".mounts[" + i + "]";
            if (!m.isObject()) {
                throw invalid(where + ": expected an object {guest, mode, purpose}");
            }
            Json.onlyKeys(m, where, Set.of("guest", "mode", "purpose"));
            String guest = text(m, "guest", true, 255, where);
            String why = guestProblem(guest);
            if (why != null) {
                throw invalid(where + ".guest: " + why);
            }
            if (!guests.add(guest)) {
                throw invalid(where + ".guest: duplicate " + guest);
            }
            String mode = text(m, "mode", true, 8, where);
            if (!mode.equals("ro") && !mode.equals("rw")) {
                throw invalid(where + ".mode: expected ro or rw");
            }
            String purpose = text(m, "purpose", true, MAX_TEXT, where);
            mounts.add(
                    new MountGrant(
                            guest,
                            mode.equals("rw") ? Mount.Mode.READ_WRITE : Mount.Mode.READ_ONLY,
                            purpose));
        }
        return new Capabilities(
                List.copyOf(mounts),
                names(n, "env", ENV, w),
                bool(n, "clock", w),
                bool(n, "random", w),
                names(n, "tools", TOOL, w),
                names(n, "skills", SKILL_REF, w),
                names(n, "nn", MODEL, w),
                net(n.get("net"), w + ".net"));
    }

    /**
     * {@code "net": ["RULE", ...]} or {@code "net": {"allow": ["RULE", ...], "limits": {"requests":
     * N, "bytesOut": "SIZE", "bytesIn": "SIZE", "timeout": "DURATION", "concurrent": N}}}.
     */
    private static NetGrant net(JsonNode n, String w) throws SkillException {
        if (n == null) {
            return NetGrant.NONE;
        }
        JsonNode allow;
        JsonNode limits = null;
        if (n.isArray()) {
            allow = n;
        } else if (n.isObject()) {
            Json.onlyKeys(n, w, Set.of("allow", "limits"));
            allow = n.get("allow");
            limits = n.get("limits");
            if (allow == null || !allow.isArray()) {
                throw invalid(w + ".allow: expected a list of network rules");
            }
        } else {
            throw invalid(w + ": expected a list of network rules or an object {allow, limits}");
        }
        String at = n.isArray() ? w : w + ".allow";
        if (allow.isEmpty()) {
            throw invalid(at + ": expected at least one network rule");
        }
        if (allow.size() > MAX_ITEMS) {
            throw invalid(at + ": more than " + MAX_ITEMS + " rules");
        }
        List<NetRule> rules = new ArrayList<>();
        for (int i = 0; i < allow.size(); i++) {
            JsonNode r = allow.get(i);
            if (!r.isTextual() || r.asText().length() > 512) {
                throw invalid(at + "[" + i + "]: expected a network rule (a string)");
            }
            try {
                NetRule rule = NetRule.parse(r.asText());
                if (!rules.contains(rule)) {
                    rules.add(rule);
                }
            } catch (IllegalArgumentException e) {
                throw invalid(at + "[" + i + "]: " + e.getMessage());
            }
        }
        if (limits == null) {
            return new NetGrant(rules, null, null, null, null, null);
        }
        String lw = w + ".limits";
        if (!limits.isObject()) {
            throw invalid(lw + ": expected an object");
        }
        Json.onlyKeys(
                limits, lw, Set.of("requests", "bytesOut", "bytesIn", "timeout", "concurrent"));
        try {
            Integer requests = count(limits, "requests", lw, 0);
            Integer concurrent = count(limits, "concurrent", lw, 1);
            Long out =
                    limits.has("bytesOut")
                            ? Size.parse(text(limits, "bytesOut", true, 32, lw))
                            : null;
            Long in =
                    limits.has("bytesIn")
                            ? Size.parse(text(limits, "bytesIn", true, 32, lw))
                            : null;
            Duration timeout =
                    limits.has("timeout")
                            ? Durations.parse(text(limits, "timeout", true, 32, lw))
                            : null;
            NetGrant g = new NetGrant(rules, requests, out, in, timeout, concurrent);
            // checks the values as limits (sizes not negative, timeout within 10 minutes)
            g.limits(NetLimits.defaults());
            return g;
        } catch (IllegalArgumentException e) {
            throw invalid(lw + ": " + e.getMessage());
        }
    }

    private static Integer count(JsonNode n, String key, String where, int min)
            throws SkillException {
        JsonNode v = n.get(key);
        if (v == null) {
            return null;
        }
        if (!v.canConvertToExactIntegral() || !v.canConvertToInt() || v.asInt() < min) {
            throw invalid(where + "." + key + ": expected an integer of at least " + min);
        }
        return v.asInt();
    }

    /** Why a declared guest path is not acceptable, or {@code null}. */
    static String guestProblem(String guest) {
        if (!guest.startsWith("/") || guest.equals("/")) {
            return "must be an absolute folder other than /";
        }
        if (guest.endsWith("/") || guest.contains("//") || guest.contains("\\")) {
            return "must be a plain absolute path such as /data";
        }
        for (String part : guest.substring(1).split("/")) {
            if (part.equals(".") || part.equals("..") || part.contains(":")) {
                return "must not contain ., .. or :";
            }
        }
        if (guest.equals(SkillRunner.SKILL_DIR) || guest.startsWith(SkillRunner.SKILL_DIR + "/")) {
            return SkillRunner.SKILL_DIR + " is reserved for the skill's own files";
        }
        if (guest.equals("/workspace") || guest.startsWith("/workspace/")) {
            return "/workspace is the interpreters' working folder";
        }
        return null;
    }

    private static SkillLimits limits(JsonNode n) throws SkillException {
        if (n == null) {
            return SkillLimits.NONE;
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
            return new SkillLimits(fuel, memory, timeout, output, tensor, computations);
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

    private static JsonNode list(JsonNode n, String key, String where) throws SkillException {
        JsonNode l = n.get(key);
        if (l == null) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        }
        if (!l.isArray()) {
            throw invalid(where + "." + key + ": expected a list");
        }
        if (l.size() > MAX_ITEMS) {
            throw invalid(where + "." + key + ": more than " + MAX_ITEMS + " entries");
        }
        return l;
    }

    private static List<String> names(JsonNode n, String key, Pattern form, String where)
            throws SkillException {
        List<String> out = new ArrayList<>();
        for (JsonNode e : list(n, key, where)) {
            if (!e.isTextual()
                    || e.asText().length() > 128
                    || !form.matcher(e.asText()).matches()) {
                throw invalid(where + "." + key + ": bad name " + Json.write(e));
            }
            if (out.contains(e.asText())) {
                throw invalid(where + "." + key + ": duplicate " + e.asText());
            }
            out.add(e.asText());
        }
        return List.copyOf(out);
    }

    private static boolean bool(JsonNode n, String key, String where) throws SkillException {
        JsonNode b = n.get(key);
        if (b == null) {
            return false;
        }
        if (!b.isBoolean()) {
            throw invalid(where + "." + key + ": expected true or false");
        }
        return b.asBoolean();
    }

    private static String text(JsonNode n, String key, boolean required, int max)
            throws SkillException {
        return text(n, key, required, max, null);
    }

    private static String text(JsonNode n, String key, boolean required, int max, String where)
            throws SkillException {
        String at = where == null ? key : where + "." + key;
        JsonNode v = n.get(key);
        if (v == null) {
            if (required) {
                throw invalid(at + ": missing");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw invalid(at + ": expected a non-empty string");
        }
        String s = v.asText();
        if (s.length() > max) {
            throw invalid(at + ": longer than " + max + " characters");
        }
        if (s.chars().anyMatch(c -> c < 0x20 && c != '\n' || c == 0x7f)) {
            throw invalid(at + ": control characters");
        }
        return s;
    }

    private static SkillException invalid(String what) {
        return new SkillException(SkillException.Kind.INVALID, FILE + ": " + what);
    }
}
