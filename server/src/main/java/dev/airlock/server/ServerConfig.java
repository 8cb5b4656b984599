package dev.airlock.server;

import dev.airlock.core.Limits;
import dev.airlock.core.time.Ticker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How an Airlock server runs. Immutable; made by {@link #builder()}, whose setters reject bad
 * values at once.
 */
public final class ServerConfig extends ConfigGetters { // the getters, one a setting
    private ServerConfig(Builder b) {
        super(b.values.built());
    }

    /**
     * The tracing this configuration asks for: spans to a new exporter ({@link
     * Builder#otlpEndpoint}, {@link Builder#traceExporter}) as service {@code airlock} on this
     * node, or {@link dev.airlock.server.observe.Tracing#off()}. The caller closes it.
     */
    public dev.airlock.server.observe.Tracing newTracing() {
        return v.traces == null
                ? dev.airlock.server.observe.Tracing.off()
                : v.traces.open(nodeId(), clock(), ticker());
    }

    /** The defaults: loopback, port 8787, see each getter. */
    public static ServerConfig defaults() {
        return builder().build();
    }

    /** The system property that gives {@link #cacheDir()} its default. */
    public static final String CACHE_DIR_PROPERTY = "airlock.cacheDir";

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The default memory budget for a heap of {@code maxHeapBytes}: the heap less a headroom of a
     * quarter of it, at least 256 MiB, kept for the server itself (requests, the store, the
     * interpreters' compiled code), rounded down to whole MiB; never below 64 MiB.
     */
    public static long defaultMemoryBudget(long maxHeapBytes) {
        long heap = maxHeapBytes == Long.MAX_VALUE ? 4L << 30 : maxHeapBytes;
        long headroom = Math.max(256L << 20, heap / 4);
        return Math.max(64L << 20, ConfigValues.mebibytes(heap - headroom));
    }

    /** Builds a {@link ServerConfig}. */
    public static final class Builder {
        private final ConfigValues values = new ConfigValues();

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
            values.traces = TraceExport.otlp(endpoint);
            return this;
        }

        /**
         * Trace as {@link #otlpEndpoint} does, to an exporter of the embedder's (for example an
         * in-memory one in tests); the server shuts it down when it stops.
         */
        public Builder traceExporter(io.opentelemetry.sdk.trace.export.SpanExporter exporter) {
            values.traces = TraceExport.custom(exporter);
            return this;
        }

        /**
         * Keep compiled modules and interpreter images in {@code dir} (made owner-only when
         * needed), so that a restarted server runs its first Python or JavaScript snippet without
         * compiling and starting the interpreter again; null for none.
         */
        public Builder cacheDir(Path dir) {
            values.cacheDir = dir;
            return this;
        }

        /**
         * Offers the pure-Python packages in {@code dir} under {@code name}: a Python request that
         * names it gets the folder mounted read-only at {@code /packages/NAME}, on {@code
         * sys.path}.
         *
         * @throws IllegalArgumentException for a bad or repeated name, or a path that is not a
         *     folder
         */
        public Builder packages(String name, Path dir) {
            Path folder = ConfigChecks.packages(name, dir);
            ConfigChecks.once(values.packages.putIfAbsent(name, folder), "packages " + name);
            return this;
        }

        /** See {@link ServerConfig#network()}. */
        public Builder network(dev.airlock.core.net.Egress network) {
            values.network = Objects.requireNonNull(network, "network");
            return this;
        }

        /**
         * Lets only {@code tenants} name secret {@code name} (see {@link ServerConfig#secretFor});
         * the secret must be one of {@link #network}'s.
         *
         * @throws IllegalArgumentException for an empty or blank tenant, or a name given twice
         */
        public Builder secretTenants(String name, java.util.Collection<String> tenants) {
            java.util.Set<String> only = Set.copyOf(ConfigChecks.secretTenants(name, tenants));
            ConfigChecks.once(
                    values.secretTenants.putIfAbsent(name, only), "secret tenants of " + name);
            return this;
        }

        /** What skills may get at most (see {@link ServerConfig#skillAllowance()}). */
        public Builder skillAllowance(dev.airlock.skills.Allowance allowance) {
            values.skillAllowance = Objects.requireNonNull(allowance, "allowance");
            return this;
        }

        /**
         * @throws IllegalArgumentException if blank
         */
        public Builder host(String host) {
            values.host = ConfigChecks.host(host);
            return this;
        }

        /**
         * @throws IllegalArgumentException if not in 0..65535
         */
        public Builder port(int port) {
            values.port = ConfigChecks.within(port, 0, 65535, "port");
            return this;
        }

        /**
         * @throws IllegalArgumentException if below 1 KiB or above 1 GiB
         */
        public Builder maxBodyBytes(long bytes) {
            values.maxBodyBytes =
                    ConfigChecks.within(bytes, 1024, 1L << 30, "max body", "1KiB..1GiB");
            return this;
        }

        /**
         * @throws IllegalArgumentException if not in 1..1024
         */
        public Builder workers(int workers) {
            values.workers = ConfigChecks.within(workers, 1, 1024, "workers");
            return this;
        }

        /**
         * @throws IllegalArgumentException if not in 0..100000
         */
        public Builder queueSize(int size) {
            values.queueSize = ConfigChecks.within(size, 0, 100_000, "queue size");
            return this;
        }

        /**
         * @throws IllegalArgumentException if not positive
         */
        public Builder sessionIdleTimeout(Duration timeout) {
            values.sessionIdleTimeout = ConfigChecks.positive(timeout, "session idle timeout");
            return this;
        }

        /**
         * @throws IllegalArgumentException if not in 1..10000
         */
        public Builder maxSessionsPerTenant(int n) {
            values.maxSessionsPerTenant = ConfigChecks.within(n, 1, 10_000, "sessions per tenant");
            return this;
        }

        /**
         * @throws IllegalArgumentException if not in 1..1000
         */
        public Builder maxSnapshotsPerSession(int n) {
            values.maxSnapshotsPerSession =
                    ConfigChecks.within(n, 1, 1000, "snapshots per session");
            return this;
        }

        public Builder defaultLimits(Limits limits) {
            values.defaultLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * @throws IllegalArgumentException unless 1 to 64 letters, digits, '.', '_' or '-'
         */
        public Builder nodeId(String id) {
            values.nodeId = ConfigChecks.nodeId(id);
            return this;
        }

        /**
         * @throws IllegalArgumentException if negative
         */
        public Builder drainTimeout(Duration timeout) {
            values.drainTimeout = ConfigChecks.notNegative(timeout, "drain timeout");
            return this;
        }

        /**
         * @throws IllegalArgumentException if below 16 MiB or above 1 TiB
         */
        public Builder memoryBudgetBytes(long bytes) {
            values.memoryBudgetBytes = ConfigChecks.memory(bytes, "memory budget");
            return this;
        }

        /**
         * @throws IllegalArgumentException if below 16 MiB or above 1 TiB; {@link #build()} also
         *     refuses one above the memory budget
         */
        public Builder tenantMemoryBytes(long bytes) {
            values.tenantMemoryBytes = ConfigChecks.memory(bytes, "tenant memory total");
            return this;
        }

        /**
         * @throws IllegalArgumentException if negative or above a minute
         */
        public Builder memoryWait(Duration wait) {
            values.memoryWait = ConfigChecks.memoryWait(wait);
            return this;
        }

        /**
         * @throws IllegalArgumentException if shorter than 16 characters
         */
        public Builder bootstrapKey(String key) {
            values.bootstrapKey = ConfigChecks.bootstrapKey(key);
            return this;
        }

        /** HTTPS with this certificate chain and key (both PEM; both or neither). */
        public Builder tls(Path cert, Path key) {
            values.tlsCert = Objects.requireNonNull(cert, "cert");
            values.tlsKey = Objects.requireNonNull(key, "key");
            return this;
        }

        public Builder ticker(Ticker ticker) {
            values.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        public Builder clock(Clock clock) {
            values.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @throws IllegalArgumentException if the tenant memory total is above the memory budget
         */
        public ServerConfig build() {
            return new ServerConfig(this);
        }
    }
}
