package dev.airlock.skills;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.core.Mount;
import dev.airlock.core.net.NetLimits;
import dev.airlock.core.net.NetRule;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
    static final int MAX_NAME = 64;

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
        return ManifestParser.parse(bytes);
    }
}
