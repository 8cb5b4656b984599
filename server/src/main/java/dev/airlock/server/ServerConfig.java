package dev.airlock.server;

import dev.airlock.core.Limits;
import dev.airlock.core.Size;
import dev.airlock.core.time.Ticker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How an Airlock server runs. Immutable; made by {@link #builder()}, whose setters reject bad
 * values at once.
 */
public final class ServerConfig {
    private final String host;
    private final int port;
    private final long maxBodyBytes;
    private final int workers;
    private final int queueSize;
    private final Duration sessionIdleTimeout;
    private final int maxSessionsPerTenant;
    private final int maxSnapshotsPerSession;
    private final Limits defaultLimits;
    private final Duration drainTimeout;
    private final String nodeId;
    private final long memoryBudgetBytes;
    private final long tenantMemoryBytes;
    private final Duration memoryWait;
    private final String bootstrapKey;
    private final Path tlsCert;
    private final Path tlsKey;
    private final Ticker ticker;
    private final Clock clock;
    private final dev.airlock.skills.Allowance skillAllowance;
    private final java.util.Map<String, Path> packages;
    private final dev.airlock.core.net.Egress network;
    private final java.util.Map<String, java.util.Set<String>> secretTenants;

    private final Path cacheDir;
    private final java.util.function.Supplier<io.opentelemetry.sdk.trace.export.SpanExporter>
            traces;
    private final String traceTarget;

    private ServerConfig(Builder b) {
        this.traces = b.traces;
        this.traceTarget = b.traceTarget;
        this.network = b.network;
        for (String name : b.secretTenants.keySet()) {
            if (!network.secretNames().contains(name)) {
                throw new IllegalArgumentException("secret tenants: no secret named " + name);
            }
        }
        this.secretTenants = java.util.Map.copyOf(b.secretTenants);
        this.skillAllowance = b.skillAllowance;
        this.packages =
                java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(b.packages));
        this.host = b.host;
        this.port = b.port;
        this.maxBodyBytes = b.maxBodyBytes;
        this.workers = b.workers;
        this.queueSize = b.queueSize;
        this.sessionIdleTimeout = b.sessionIdleTimeout;
        this.maxSessionsPerTenant = b.maxSessionsPerTenant;
        this.maxSnapshotsPerSession = b.maxSnapshotsPerSession;
        this.defaultLimits = b.defaultLimits;
        this.drainTimeout = b.drainTimeout;
        this.nodeId = b.nodeId;
        this.memoryBudgetBytes =
                b.memoryBudgetBytes > 0
                        ? b.memoryBudgetBytes
                        : defaultMemoryBudget(Runtime.getRuntime().maxMemory());
        this.tenantMemoryBytes =
                b.tenantMemoryBytes > 0 ? b.tenantMemoryBytes : mebibytes(memoryBudgetBytes / 2);
        if (tenantMemoryBytes > memoryBudgetBytes) {
            throw new IllegalArgumentException(
                    "the tenant memory total ("
                            + Size.format(tenantMemoryBytes)
                            + ") must not exceed the memory budget ("
                            + Size.format(memoryBudgetBytes)
                            + ")");
        }
        this.memoryWait = b.memoryWait;
        this.bootstrapKey = b.bootstrapKey;
        this.tlsCert = b.tlsCert;
        this.tlsKey = b.tlsKey;
        this.ticker = b.ticker;
        this.clock = b.clock;
        this.cacheDir = b.cacheDir;
    }

    /**
     * Where the server's trace spans go ({@link Builder#otlpEndpoint}), for {@code airlock doctor}
     * and the start-up line; null: the server does not trace (the default).
     */
    public String traceTarget() {
        return traceTarget;
    }

    /**
     * The tracing this configuration asks for: spans to a new exporter ({@link
     * Builder#otlpEndpoint}, {@link Builder#traceExporter}) as service {@code airlock} on this
     * node, or {@link dev.airlock.server.observe.Tracing#off()}. The caller closes it.
     */
    public dev.airlock.server.observe.Tracing newTracing() {
        io.opentelemetry.sdk.trace.export.SpanExporter exporter =
                traces == null ? null : traces.get();
        return exporter == null
                ? dev.airlock.server.observe.Tracing.off()
                : dev.airlock.server.observe.Tracing.to(
                        exporter, "airlock", nodeId(), clock(), ticker());
    }

    /** The defaults: loopback, port 8787, see each getter. */
    public static ServerConfig defaults() {
        return builder().build();
    }

    /**
     * Where compiled modules ({@code modules/}) and started interpreters' images ({@code images/})
     * are kept between server starts, or null: compiled and started anew by each server. Default:
     * the system property {@value #CACHE_DIR_PROPERTY} if set, else none.
     */
    public Path cacheDir() {
        return cacheDir;
    }

    /** The system property that gives {@link #cacheDir()} its default. */
    public static final String CACHE_DIR_PROPERTY = "airlock.cacheDir";

    public static Builder builder() {
        return new Builder();
    }

    /** Interface to listen on (default {@code 127.0.0.1}). */
    public String host() {
        return host;
    }

    /** Port (default 8787; 0 picks a free one). */
    public int port() {
        return port;
    }

    /** Largest request body; larger ones get 413 (default 16 MiB). */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Threads running guests (default: the number of cores). */
    public int workers() {
        return workers;
    }

    /** Executions waiting for a worker; beyond it requests get 503 (default 64). */
    public int queueSize() {
        return queueSize;
    }

    /** A session unused this long is closed (default 10 minutes). */
    public Duration sessionIdleTimeout() {
        return sessionIdleTimeout;
    }

    /** Open sessions per tenant (default 8); beyond it creating one gets 429. */
    public int maxSessionsPerTenant() {
        return maxSessionsPerTenant;
    }

    /** Snapshots kept per session (default 8); beyond it taking one gets 409. */
    public int maxSnapshotsPerSession() {
        return maxSnapshotsPerSession;
    }

    /**
     * Limits of a request that asks for none: the timeout, memory and output of these (default
     * {@link Limits#defaults()}), each lowered to the tenant's ceiling.
     */
    public Limits defaultLimits() {
        return defaultLimits;
    }

    /**
     * The network API requests may ask for (default {@link dev.airlock.core.net.Egress#none()}:
     * none): each rule of a request's {@code allowNet} must lie within one of these rules; the
     * requests then run under its limits, transport and resolver. Its secrets go only to requests
     * that name them in {@code secrets} (and whose tenant may, see {@link #secretFor}), and there
     * only where its injections say and the request's rules reach.
     */
    public dev.airlock.core.net.Egress network() {
        return network;
    }

    /**
     * Whether {@code tenant} may name secret {@code name} (one of {@link #network()}'s) in a
     * request's {@code secrets}: every tenant may, unless {@link Builder#secretTenants} lists the
     * tenants that may.
     */
    public boolean secretFor(String name, String tenant) {
        if (!network.secretNames().contains(name)) {
            return false;
        }
        java.util.Set<String> only = secretTenants.get(name);
        return only == null || only.contains(tenant);
    }

    /** How long shutdown waits for running executions to finish (default 30 s). */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /**
     * This server's node id when it is one of several on a shared store (null: a lone server). A
     * node registers its audit key in the store, names itself in its chain, its runs and {@code
     * /healthz}, and keeps tenants' run quotas in the store, so that they hold across nodes.
     */
    public String nodeId() {
        return nodeId;
    }

    /**
     * Heap that guests may hold at once, all tenants together: each one-shot execution reserves its
     * memory limit while it runs and each session while it is open; one that does not fit waits up
     * to {@link #memoryWait()}, then gets 503 with Retry-After. Default: the JVM's maximum heap
     * less a quarter of it (at least 256 MiB) for the server itself; see {@link
     * #defaultMemoryBudget(long)}.
     */
    public long memoryBudgetBytes() {
        return memoryBudgetBytes;
    }

    /**
     * The most of {@link #memoryBudgetBytes()} one tenant may hold at once (default half of it,
     * rounded down to whole MiB); beyond it the tenant's requests get 429 after the wait, and a
     * request asking more memory than this at all gets 400.
     */
    public long tenantMemoryBytes() {
        return tenantMemoryBytes;
    }

    /** How long a request waits for memory before it is refused (default 1 s). */
    public Duration memoryWait() {
        return memoryWait;
    }

    /**
     * The default memory budget for a heap of {@code maxHeapBytes}: the heap less a headroom of a
     * quarter of it, at least 256 MiB, kept for the server itself (requests, the store, the
     * interpreters' compiled code), rounded down to whole MiB; never below 64 MiB.
     */
    public static long defaultMemoryBudget(long maxHeapBytes) {
        long heap = maxHeapBytes == Long.MAX_VALUE ? 4L << 30 : maxHeapBytes;
        long headroom = Math.max(256L << 20, heap / 4);
        return Math.max(64L << 20, mebibytes(heap - headroom));
    }

    /** Rounded down to whole MiB, so that messages show round sizes. */
    private static long mebibytes(long bytes) {
        return bytes & -(1L << 20);
    }

    /** An admin key stored at start (from {@code AIRLOCK_BOOTSTRAP_KEY}), or null. */
    public String bootstrapKey() {
        return bootstrapKey;
    }

    /** PEM certificate chain for HTTPS, or null for plain HTTP. */
    public Path tlsCert() {
        return tlsCert;
    }

    /** PEM private key (PKCS#8) for HTTPS, or null. */
    public Path tlsKey() {
        return tlsKey;
    }

    /**
     * Monotonic time for quotas and session expiry (default the system's); guests' own time limits
     * and the wait for memory always use the system's.
     */
    public Ticker ticker() {
        return ticker;
    }

    /** Wall-clock time for records (default UTC system clock). */
    public Clock clock() {
        return clock;
    }

    /**
     * What the server allows skills at most (default: clock and randomness when declared; no
     * folders, variables or host tools; the default limits; the {@link #network()} rules without
     * its secrets, so a skill makes the requests both its manifest's {@code net} rules and these
     * allow). Each call's limits are also lowered to the tenant's ceilings.
     */
    public dev.airlock.skills.Allowance skillAllowance() {
        return skillAllowance == null
                ? dev.airlock.skills.Allowance.defaults()
                        .withLimits(defaultLimits)
                        // the server's rules and limits; its secrets go to requests that name them
                        .withNet(
                                network.narrow(
                                        network.rules(), network.limits(), java.util.List.of()))
                : skillAllowance;
    }

    /**
     * The Python package folders that requests may name in {@code packages} (default: none), by
     * name, in the order given.
     */
    public java.util.Map<String, Path> packages() {
        return packages;
    }

    /** Builds a {@link ServerConfig}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8787;
        private long maxBodyBytes = 16L << 20;
        private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int queueSize = 64;
        private Duration sessionIdleTimeout = Duration.ofMinutes(10);
        private int maxSessionsPerTenant = 8;
        private int maxSnapshotsPerSession = 8;
        private Limits defaultLimits = Limits.defaults();
        private Duration drainTimeout = Duration.ofSeconds(30);
        private String nodeId;
        private long memoryBudgetBytes;
        private long tenantMemoryBytes;
        private Duration memoryWait = Duration.ofSeconds(1);
        private String bootstrapKey;
        private Path tlsCert;
        private Path tlsKey;
        private Ticker ticker = Ticker.system();
        private Clock clock = Clock.systemUTC();
        private Path cacheDir = defaultCacheDir();
        private dev.airlock.skills.Allowance skillAllowance;
        private dev.airlock.core.net.Egress network = dev.airlock.core.net.Egress.none();
        private java.util.function.Supplier<io.opentelemetry.sdk.trace.export.SpanExporter> traces;
        private String traceTarget;

        private Builder() {}

        /**
         * Trace requests, MCP tool calls, runs and batches of host calls with OpenTelemetry,
         * sending the spans as OTLP over HTTP (protobuf) to {@code endpoint}: a collector's base
         * address such as {@code http://127.0.0.1:4318}, to which {@code /v1/traces} is added, or
         * the full address ending in {@code /v1/traces}. Default: no tracing. Spans are exported in
         * batches in the background; an unreachable collector loses spans, never requests.
         *
         * @throws IllegalArgumentException if the address is not an absolute http or https URI with
         *     a host, or carries user information, a query or a fragment
         */
        public Builder otlpEndpoint(java.net.URI endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            String scheme = endpoint.getScheme();
            if (scheme == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || endpoint.getHost() == null
                    || endpoint.getRawUserInfo() != null
                    || endpoint.getRawQuery() != null
                    || endpoint.getRawFragment() != null) {
                throw new IllegalArgumentException(
                        "OTLP endpoint: an http or https address with a host and no user,"
                                + " query or fragment, such as http://127.0.0.1:4318");
            }
            String base = endpoint.toString();
            String target =
                    base.endsWith("/v1/traces") ? base : base.replaceAll("/+$", "") + "/v1/traces";
            this.traceTarget = target;
            this.traces =
                    () ->
                            io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter.builder()
                                    .setEndpoint(target)
                                    .build();
            return this;
        }

        /**
         * Trace as {@link #otlpEndpoint} does, to an exporter of the embedder's (for example an
         * in-memory one in tests); the server shuts it down when it stops.
         */
        public Builder traceExporter(io.opentelemetry.sdk.trace.export.SpanExporter exporter) {
            Objects.requireNonNull(exporter, "exporter");
            this.traceTarget = "custom exporter";
            this.traces = () -> exporter;
            return this;
        }

        private static Path defaultCacheDir() {
            String dir = System.getProperty(CACHE_DIR_PROPERTY);
            return dir == null || dir.isBlank() ? null : Path.of(dir);
        }

        /**
         * Keep compiled modules and interpreter images in {@code dir} (made owner-only when
         * needed), so that a restarted server runs its first Python or JavaScript snippet without
         * compiling and starting the interpreter again; null for none.
         */
        public Builder cacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        private final java.util.Map<String, Path> packages = new java.util.LinkedHashMap<>();

        /**
         * Offers the pure-Python packages in {@code dir} under {@code name}: a Python request that
         * names it gets the folder mounted read-only at {@code /packages/NAME}, on {@code
         * sys.path}.
         *
         * @throws IllegalArgumentException for a bad or repeated name, or a path that is not a
         *     folder
         */
        public Builder packages(String name, Path dir) {
            dev.airlock.lang.PythonPackages.mount(dir, name);
            if (!java.nio.file.Files.isDirectory(dir)) {
                throw new IllegalArgumentException("packages " + name + ": not a folder: " + dir);
            }
            if (packages.putIfAbsent(name, dir) != null) {
                throw new IllegalArgumentException("packages " + name + " given twice");
            }
            return this;
        }

        /** See {@link ServerConfig#network()}. */
        public Builder network(dev.airlock.core.net.Egress network) {
            this.network = Objects.requireNonNull(network, "network");
            return this;
        }

        private final java.util.Map<String, java.util.Set<String>> secretTenants =
                new java.util.LinkedHashMap<>();

        /**
         * Lets only {@code tenants} name secret {@code name} (see {@link ServerConfig#secretFor});
         * the secret must be one of {@link #network}'s.
         *
         * @throws IllegalArgumentException for an empty or blank tenant, or a name given twice
         */
        public Builder secretTenants(String name, java.util.Collection<String> tenants) {
            if (tenants.isEmpty() || tenants.stream().anyMatch(t -> t == null || t.isBlank())) {
                throw new IllegalArgumentException("secret tenants of " + name + ": empty tenant");
            }
            if (secretTenants.putIfAbsent(name, java.util.Set.copyOf(tenants)) != null) {
                throw new IllegalArgumentException("secret tenants of " + name + " given twice");
            }
            return this;
        }

        /** What skills may get at most (see {@link ServerConfig#skillAllowance()}). */
        public Builder skillAllowance(dev.airlock.skills.Allowance allowance) {
            this.skillAllowance = Objects.requireNonNull(allowance, "allowance");
            return this;
        }

        /**
         * @throws IllegalArgumentException if blank
         */
        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        /**
         * @throws IllegalArgumentException if not in 0..65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * @throws IllegalArgumentException if below 1 KiB or above 1 GiB
         */
        public Builder maxBodyBytes(long bytes) {
            if (bytes < 1024 || bytes > (1L << 30)) {
                throw new IllegalArgumentException("max body must be 1KiB..1GiB: " + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * @throws IllegalArgumentException if not in 1..1024
         */
        public Builder workers(int workers) {
            if (workers < 1 || workers > 1024) {
                throw new IllegalArgumentException("workers must be 1..1024: " + workers);
            }
            this.workers = workers;
            return this;
        }

        /**
         * @throws IllegalArgumentException if not in 0..100000
         */
        public Builder queueSize(int size) {
            if (size < 0 || size > 100_000) {
                throw new IllegalArgumentException("queue size must be 0..100000: " + size);
            }
            this.queueSize = size;
            return this;
        }

        /**
         * @throws IllegalArgumentException if not positive
         */
        public Builder sessionIdleTimeout(Duration timeout) {
            this.sessionIdleTimeout = positive(timeout, "session idle timeout");
            return this;
        }

        /**
         * @throws IllegalArgumentException if not in 1..10000
         */
        public Builder maxSessionsPerTenant(int n) {
            if (n < 1 || n > 10_000) {
                throw new IllegalArgumentException("sessions per tenant must be 1..10000: " + n);
            }
            this.maxSessionsPerTenant = n;
            return this;
        }

        /**
         * @throws IllegalArgumentException if not in 1..1000
         */
        public Builder maxSnapshotsPerSession(int n) {
            if (n < 1 || n > 1000) {
                throw new IllegalArgumentException("snapshots per session must be 1..1000: " + n);
            }
            this.maxSnapshotsPerSession = n;
            return this;
        }

        public Builder defaultLimits(Limits limits) {
            this.defaultLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * @throws IllegalArgumentException unless 1 to 64 letters, digits, '.', '_' or '-'
         */
        public Builder nodeId(String id) {
            Objects.requireNonNull(id, "node id");
            if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException(
                        "a node id is 1 to 64 letters, digits, '.', '_' or '-'");
            }
            this.nodeId = id;
            return this;
        }

        /**
         * @throws IllegalArgumentException if negative
         */
        public Builder drainTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "drain timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("drain timeout must not be negative");
            }
            this.drainTimeout = timeout;
            return this;
        }

        /**
         * @throws IllegalArgumentException if below 16 MiB or above 1 TiB
         */
        public Builder memoryBudgetBytes(long bytes) {
            this.memoryBudgetBytes = memory(bytes, "memory budget");
            return this;
        }

        /**
         * @throws IllegalArgumentException if below 16 MiB or above 1 TiB; {@link #build()} also
         *     refuses one above the memory budget
         */
        public Builder tenantMemoryBytes(long bytes) {
            this.tenantMemoryBytes = memory(bytes, "tenant memory total");
            return this;
        }

        /**
         * @throws IllegalArgumentException if negative or above a minute
         */
        public Builder memoryWait(Duration wait) {
            Objects.requireNonNull(wait, "memory wait");
            if (wait.isNegative() || wait.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("memory wait must be 0..60s: " + wait);
            }
            this.memoryWait = wait;
            return this;
        }

        private static long memory(long bytes, String what) {
            if (bytes < (16L << 20) || bytes > (1L << 40)) {
                throw new IllegalArgumentException(what + " must be 16MiB..1TiB: " + bytes);
            }
            return bytes;
        }

        /**
         * @throws IllegalArgumentException if shorter than 16 characters
         */
        public Builder bootstrapKey(String key) {
            if (key != null && key.length() < 16) {
                throw new IllegalArgumentException("bootstrap key must be 16+ characters");
            }
            this.bootstrapKey = key;
            return this;
        }

        /** HTTPS with this certificate chain and key (both PEM; both or neither). */
        public Builder tls(Path cert, Path key) {
            this.tlsCert = Objects.requireNonNull(cert, "cert");
            this.tlsKey = Objects.requireNonNull(key, "key");
            return this;
        }

        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @throws IllegalArgumentException if the tenant memory total is above the memory budget
         */
        public ServerConfig build() {
            return new ServerConfig(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }
    }
}
