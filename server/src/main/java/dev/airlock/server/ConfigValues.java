package dev.airlock.server;

import dev.airlock.core.Limits;
import dev.airlock.core.Size;
import dev.airlock.core.net.Egress;
import dev.airlock.core.time.Ticker;
import dev.airlock.skills.Allowance;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The values of a {@link ServerConfig} with their defaults: filled by its builder, whose setters
 * check each one alone, then copied by {@link #built()} for the configuration, which resolves the
 * defaults that follow from other values and checks the values together. A built copy is never
 * changed.
 */
final class ConfigValues implements Cloneable {
    String host = "127.0.0.1";
    int port = 8787;
    long maxBodyBytes = 16L << 20;
    int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
    int queueSize = 64;
    Duration sessionIdleTimeout = Duration.ofMinutes(10);
    int maxSessionsPerTenant = 8;
    int maxSnapshotsPerSession = 8;
    Limits defaultLimits = Limits.defaults();
    Duration drainTimeout = Duration.ofSeconds(30);
    String nodeId;

    /** 0: the default, resolved by {@link #built()}. */
    long memoryBudgetBytes;

    /** 0: the default, resolved by {@link #built()}. */
    long tenantMemoryBytes;

    Duration memoryWait = Duration.ofSeconds(1);
    String bootstrapKey;
    Path tlsCert;
    Path tlsKey;
    Ticker ticker = Ticker.system();
    Clock clock = Clock.systemUTC();
    Path cacheDir = defaultCacheDir();

    /** Null: the default, made from the other values by {@link ServerConfig#skillAllowance()}. */
    Allowance skillAllowance;

    Egress network = Egress.none();
    Map<String, Path> packages = new LinkedHashMap<>();
    Map<String, Set<String>> secretTenants = new LinkedHashMap<>();

    /** Null: no tracing. */
    TraceExport traces;

    ConfigValues() {}

    private static Path defaultCacheDir() {
        String dir = System.getProperty(ServerConfig.CACHE_DIR_PROPERTY);
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    /**
     * A copy for a configuration, with unmodifiable maps and the memory defaults resolved.
     *
     * @throws IllegalArgumentException for secret tenants of a secret that the network does not
     *     have, or a tenant memory total above the memory budget
     */
    ConfigValues built() {
        for (String name : secretTenants.keySet()) {
            if (!network.secretNames().contains(name)) {
                throw new IllegalArgumentException("secret tenants: no secret named " + name);
            }
        }
        ConfigValues v = copy();
        v.secretTenants = Map.copyOf(secretTenants);
        v.packages = Collections.unmodifiableMap(new LinkedHashMap<>(packages));
        v.memoryBudgetBytes =
                memoryBudgetBytes > 0
                        ? memoryBudgetBytes
                        : ServerConfig.defaultMemoryBudget(Runtime.getRuntime().maxMemory());
        v.tenantMemoryBytes =
                tenantMemoryBytes > 0 ? tenantMemoryBytes : mebibytes(v.memoryBudgetBytes / 2);
        if (v.tenantMemoryBytes > v.memoryBudgetBytes) {
            throw new IllegalArgumentException(
                    "the tenant memory total ("
                            + Size.format(v.tenantMemoryBytes)
                            + ") must not exceed the memory budget ("
                            + Size.format(v.memoryBudgetBytes)
                            + ")");
        }
        return v;
    }

    /** Rounded down to whole MiB, so that messages show round sizes. */
    static long mebibytes(long bytes) {
        return bytes & -(1L << 20);
    }

    /** A field-for-field copy, sharing the maps: {@link #built()} replaces them. */
    private ConfigValues copy() {
        try {
            return (ConfigValues) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}
