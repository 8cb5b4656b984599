package dev.airlock.core;

import dev.airlock.core.net.Egress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a guest is granted. Deny by default: a guest built from {@code Policy.builder().build()} has
 * no files, no environment, no arguments but its program name, an empty stdin, no sockets and no
 * network ({@link Egress#none()}), a real clock at millisecond resolution, real randomness and the
 * {@linkplain Limits#defaults() default limits}. Immutable; build with {@link #builder()}.
 */
public final class Policy {
    private static final Policy DEFAULT = builder().build();

    /** How much of a stdin file a run serves unless told otherwise: 64 MiB. */
    public static final long DEFAULT_STDIN_MAX_BYTES = 64L << 20;

    private final String programName;
    private final List<String> args;
    private final Map<String, String> env;
    private final List<Mount> mounts;
    private final ClockMode clock;
    private final RandomMode random;
    private final byte[] stdin;
    private final Path stdinFile;
    private final long stdinMaxBytes;
    private final Limits limits;
    private final List<HostImport> hostImports;
    private final Map<String, Tool> tools;
    private final Egress egress;

    private Policy(Builder b) {
        this.programName = b.programName;
        this.args = List.copyOf(b.args);
        this.env = Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
        this.mounts = List.copyOf(b.mounts);
        this.clock = b.clock;
        this.random = b.random;
        this.stdin = b.stdin.clone();
        this.stdinFile = b.stdinFile;
        this.stdinMaxBytes = b.stdinMaxBytes;
        this.limits = b.limits;
        this.hostImports = List.copyOf(b.hostImports);
        this.tools = Collections.unmodifiableMap(new LinkedHashMap<>(b.tools));
        this.egress = b.egress;
    }

    /** The deny-by-default policy. */
    public static Policy defaults() {
        return DEFAULT;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this policy. */
    public Builder toBuilder() {
        Builder b =
                new Builder()
                        .programName(programName)
                        .args(args)
                        .clock(clock)
                        .random(random)
                        .stdin(stdin)
                        .limits(limits)
                        .egress(egress);
        if (stdinFile != null) {
            b.stdin(stdinFile, stdinMaxBytes);
        }
        env.forEach(b::env);
        mounts.forEach(b::mount);
        hostImports.forEach(b::grant);
        tools.forEach(b::tool);
        return b;
    }

    /** {@code argv[0]} as the guest sees it (default {@code main.wasm}). */
    public String programName() {
        return programName;
    }

    /** Arguments after the program name. */
    public List<String> args() {
        return args;
    }

    /** The only environment variables the guest sees, in order. */
    public Map<String, String> env() {
        return env;
    }

    public List<Mount> mounts() {
        return mounts;
    }

    public ClockMode clock() {
        return clock;
    }

    public RandomMode random() {
        return random;
    }

    /** A copy of the guest's stdin bytes (empty when stdin is {@linkplain #stdinFile() a file}). */
    public byte[] stdin() {
        return stdin.clone();
    }

    /** Length of the stdin bytes without copying them. */
    public int stdinLength() {
        return stdin.length;
    }

    /**
     * The file streamed as the guest's stdin, or {@code null} when stdin is {@link #stdin() bytes}.
     * Each run opens it when the guest first reads stdin and reads it as the guest reads, up to
     * {@link #stdinMaxBytes()}.
     */
    public Path stdinFile() {
        return stdinFile;
    }

    /**
     * How much of {@link #stdinFile()} a run serves; past it the guest sees the end of stdin
     * (default {@link #DEFAULT_STDIN_MAX_BYTES}).
     */
    public long stdinMaxBytes() {
        return stdinMaxBytes;
    }

    public Limits limits() {
        return limits;
    }

    /** Host functions granted beyond WASI. */
    public List<HostImport> hostImports() {
        return hostImports;
    }

    /**
     * Host tools the guest may call by name (default none), through the tool bridge of the
     * interpreters ({@code airlock.call(name, args)}). A call to any other name is denied with rule
     * {@code tool.not-granted}.
     */
    public Map<String, Tool> tools() {
        return tools;
    }

    /**
     * The network the guest may reach through the host's HTTP client (default {@link
     * Egress#none()}: no request is allowed); see {@link dev.airlock.core.net.EgressGate}.
     */
    public Egress egress() {
        return egress;
    }

    @Override
    public String toString() {
        return "Policy{args="
                + args
                + ", env="
                + env.keySet()
                + ", mounts="
                + mounts
                + ", clock="
                + clock
                + ", random="
                + random.kind()
                + ", tools="
                + tools.keySet()
                + (egress.granted()
                        ? ", net=" + egress.rules() + ", secrets=" + egress.secretNames()
                        : "")
                + ", stdin="
                + (stdinFile != null ? "file" : stdin.length + "B")
                + ", "
                + limits
                + "}";
    }

    /**
     * Builds a {@link Policy}; setters reject bad values at once, {@link #build()} cross-checks.
     */
    public static final class Builder {
        private String programName = "main.wasm";
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<Mount> mounts = new ArrayList<>();
        private ClockMode clock = ClockMode.REAL;
        private RandomMode random = RandomMode.REAL;
        private byte[] stdin = new byte[0];
        private Path stdinFile;
        private long stdinMaxBytes = DEFAULT_STDIN_MAX_BYTES;
        private Limits limits = Limits.defaults();
        private final List<HostImport> hostImports = new ArrayList<>();
        private final Map<String, Tool> tools = new LinkedHashMap<>();
        private Egress egress = Egress.none();

        private Builder() {}

        /**
         * The network granted (default {@link Egress#none()}): allow rules, limits, secrets and the
         * host's transport.
         */
        public Builder egress(Egress egress) {
            this.egress = Objects.requireNonNull(egress, "egress");
            return this;
        }

        public Builder programName(String name) {
            this.programName = Objects.requireNonNull(name, "programName");
            return this;
        }

        /** Replaces the arguments that follow the program name. */
        public Builder args(List<String> args) {
            Objects.requireNonNull(args, "args");
            args.forEach(a -> Objects.requireNonNull(a, "argument"));
            this.args.clear();
            this.args.addAll(args);
            return this;
        }

        public Builder args(String... args) {
            return args(Arrays.asList(args));
        }

        /**
         * Grants one environment variable.
         *
         * @throws IllegalArgumentException if the name is empty or contains {@code =} or NUL
         */
        public Builder env(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid environment variable name: " + name);
            }
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment value contains NUL: " + name);
            }
            env.put(name, value);
            return this;
        }

        public Builder mount(Mount mount) {
            mounts.add(Objects.requireNonNull(mount, "mount"));
            return this;
        }

        public Builder clock(ClockMode clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder random(RandomMode random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The guest's stdin (default empty); replaces a stdin file. The array is copied. */
        public Builder stdin(byte[] stdin) {
            this.stdin = Objects.requireNonNull(stdin, "stdin").clone();
            this.stdinFile = null;
            return this;
        }

        /**
         * Streams a file as the guest's stdin, up to {@link #DEFAULT_STDIN_MAX_BYTES}; see {@link
         * #stdin(Path, long)}.
         */
        public Builder stdin(Path file) {
            return stdin(file, DEFAULT_STDIN_MAX_BYTES);
        }

        /**
         * Streams a file as the guest's stdin, replacing stdin bytes: each run opens it when the
         * guest first reads stdin and reads it only as far as the guest reads, so a device or an
         * endless file costs no memory. After {@code maxBytes} the guest sees the end of stdin. A
         * file that cannot be opened then makes the guest's read fail with {@code EIO}.
         *
         * @throws IllegalArgumentException if {@code maxBytes} is negative
         */
        public Builder stdin(Path file, long maxBytes) {
            Objects.requireNonNull(file, "file");
            if (maxBytes < 0) {
                throw new IllegalArgumentException("stdin limit must not be negative: " + maxBytes);
            }
            this.stdinFile = file;
            this.stdinMaxBytes = maxBytes;
            this.stdin = new byte[0];
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Grants a host function beyond WASI. */
        public Builder grant(HostImport hostImport) {
            hostImports.add(Objects.requireNonNull(hostImport, "hostImport"));
            return this;
        }

        /**
         * Grants a host tool under {@code name} (letters, digits, {@code _ . -}; 1 to 64
         * characters), or a skill's tool as {@code skill:SKILL/TOOL} (skill and tool names as in a
         * skill's manifest), the name skill-to-skill calls use.
         *
         * @throws IllegalArgumentException if the name is malformed or already granted
         */
        public Builder tool(String name, Tool tool) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(tool, "tool");
            if (!name.matches("[A-Za-z0-9_.-]{1,64}")
                    && !name.matches("skill:[a-z0-9-]{1,64}/[a-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("invalid tool name: " + name);
            }
            if (tools.putIfAbsent(name, tool) != null) {
                throw new IllegalArgumentException("tool granted twice: " + name);
            }
            return this;
        }

        /**
         * @throws IllegalArgumentException if two mounts share a guest path or a host function is
         *     granted twice
         */
        public Policy build() {
            Set<String> seen = new HashSet<>();
            for (Mount m : mounts) {
                if (!seen.add(m.guestPath())) {
                    throw new IllegalArgumentException(
                            "two mounts at the same guest path: " + m.guestPath());
                }
            }
            Set<String> names = new HashSet<>();
            for (HostImport h : hostImports) {
                if (!names.add(h.module() + "." + h.name())) {
                    throw new IllegalArgumentException(
                            "host function granted twice: " + h.module() + "." + h.name());
                }
            }
            return new Policy(this);
        }
    }
}
