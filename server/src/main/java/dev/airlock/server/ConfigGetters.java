package dev.airlock.server;

import dev.airlock.core.Limits;
import dev.airlock.core.time.Ticker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The getters of {@link ServerConfig}, one a setting, each with what it means and its default, over
 * the values its builder checked. Package-private, so that callers and the Javadoc see them as
 * {@link ServerConfig}'s own.
 */
abstract class ConfigGetters {
    /** The built values (see {@link ConfigValues#built()}), never changed. */
    final ConfigValues v;

    ConfigGetters(ConfigValues v) {
        this.v = v;
    }

    /**
     * Where the server's trace spans go ({@link ServerConfig.Builder#otlpEndpoint}), for {@code
     * airlock doctor} and the start-up line; null: the server does not trace (the default).
     */
    public String traceTarget() {
        return v.traces == null ? null : v.traces.target();
    }

    /**
     * Where compiled modules ({@code modules/}) and started interpreters' images ({@code images/})
     * are kept between server starts, or null: compiled and started anew by each server. Default:
     * the system property {@value ServerConfig#CACHE_DIR_PROPERTY} if set, else none.
     */
    public Path cacheDir() {
        return v.cacheDir;
    }

    /** Interface to listen on (default {@code 127.0.0.1}). */
    public String host() {
        return v.host;
    }

    /** Port (default 8787; 0 picks a free one). */
    public int port() {
        return v.port;
    }

    /** Largest request body; larger ones get 413 (default 16 MiB). */
    public long maxBodyBytes() {
        return v.maxBodyBytes;
    }

    /** Threads running guests (default: the number of cores). */
    public int workers() {
        return v.workers;
    }

    /** Executions waiting for a worker; beyond it requests get 503 (default 64). */
    public int queueSize() {
        return v.queueSize;
    }

    /** A session unused this long is closed (default 10 minutes). */
    public Duration sessionIdleTimeout() {
        return v.sessionIdleTimeout;
    }

    /** Open sessions per tenant (default 8); beyond it creating one gets 429. */
    public int maxSessionsPerTenant() {
        return v.maxSessionsPerTenant;
    }

    /** Snapshots kept per session (default 8); beyond it taking one gets 409. */
    public int maxSnapshotsPerSession() {
        return v.maxSnapshotsPerSession;
    }

    /**
     * Limits of a request that asks for none: the timeout, memory and output of these (default
     * {@link Limits#defaults()}), each lowered to the tenant's ceiling.
     */
    public Limits defaultLimits() {
        return v.defaultLimits;
    }

    /**
     * The network API requests may ask for (default {@link dev.airlock.core.net.Egress#none()}:
     * none): each rule of a request's {@code allowNet} must lie within one of these rules; the
     * requests then run under its limits, transport and resolver. Its secrets go only to requests
     * that name them in {@code secrets} (and whose tenant may, see {@link #secretFor}), and there
     * only where its injections say and the request's rules reach.
     */
    public dev.airlock.core.net.Egress network() {
        return v.network;
    }

    /**
     * Whether {@code tenant} may name secret {@code name} (one of {@link #network()}'s) in a
     * request's {@code secrets}: every tenant may, unless {@link
     * ServerConfig.Builder#secretTenants} lists the tenants that may.
     */
    public boolean secretFor(String name, String tenant) {
        if (!v.network.secretNames().contains(name)) {
            return false;
        }
        java.util.Set<String> only = v.secretTenants.get(name);
        return only == null || only.contains(tenant);
    }

    /** How long shutdown waits for running executions to finish (default 30 s). */
    public Duration drainTimeout() {
        return v.drainTimeout;
    }

    /**
     * This server's node id when it is one of several on a shared store (null: a lone server). A
     * node registers its audit key in the store, names itself in its chain, its runs and {@code
     * /healthz}, and keeps tenants' run quotas in the store, so that they hold across nodes.
     */
    public String nodeId() {
        return v.nodeId;
    }

    /**
     * Heap that guests may hold at once, all tenants together: each one-shot execution reserves its
     * memory limit while it runs and each session while it is open; one that does not fit waits up
     * to {@link #memoryWait()}, then gets 503 with Retry-After. Default: the JVM's maximum heap
     * less a quarter of it (at least 256 MiB) for the server itself; see {@link
     * ServerConfig#defaultMemoryBudget(long)}.
     */
    public long memoryBudgetBytes() {
        return v.memoryBudgetBytes;
    }

    /**
     * The most of {@link #memoryBudgetBytes()} one tenant may hold at once (default half of it,
     * rounded down to whole MiB); beyond it the tenant's requests get 429 after the wait, and a
     * request asking more memory than this at all gets 400.
     */
    public long tenantMemoryBytes() {
        return v.tenantMemoryBytes;
    }

    /** How long a request waits for memory before it is refused (default 1 s). */
    public Duration memoryWait() {
        return v.memoryWait;
    }

    /** An admin key stored at start (from {@code AIRLOCK_BOOTSTRAP_KEY}), or null. */
    public String bootstrapKey() {
        return v.bootstrapKey;
    }

    /** PEM certificate chain for HTTPS, or null for plain HTTP. */
    public Path tlsCert() {
        return v.tlsCert;
    }

    /** PEM private key (PKCS#8) for HTTPS, or null. */
    public Path tlsKey() {
        return v.tlsKey;
    }

    /**
     * Monotonic time for quotas and session expiry (default the system's); guests' own time limits
     * and the wait for memory always use the system's.
     */
    public Ticker ticker() {
        return v.ticker;
    }

    /** Wall-clock time for records (default UTC system clock). */
    public Clock clock() {
        return v.clock;
    }

    /**
     * What the server allows skills at most (default: clock and randomness when declared; no
     * folders, variables or host tools; the default limits; the {@link #network()} rules without
     * its secrets, so a skill makes the requests both its manifest's {@code net} rules and these
     * allow). Each call's limits are also lowered to the tenant's ceilings.
     */
    public dev.airlock.skills.Allowance skillAllowance() {
        dev.airlock.core.net.Egress network = v.network;
        return v.skillAllowance == null
                ? dev.airlock.skills.Allowance.defaults()
                        .withLimits(v.defaultLimits)
                        // the server's rules and limits; its secrets go to requests that name them
                        .withNet(
                                network.narrow(
                                        network.rules(), network.limits(), java.util.List.of()))
                : v.skillAllowance;
    }

    /**
     * The Python package folders that requests may name in {@code packages} (default: none), by
     * name, in the order given.
     */
    public java.util.Map<String, Path> packages() {
        return v.packages;
    }
}
