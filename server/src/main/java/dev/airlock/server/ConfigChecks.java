package dev.airlock.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;

/**
 * The checks of {@link ServerConfig.Builder}'s setters: each returns the value it was given, or
 * refuses it with the {@link IllegalArgumentException} that names the setting and what it must be.
 */
final class ConfigChecks {
    private ConfigChecks() {}

    /** A host to listen on: not blank. */
    static String host(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        return host;
    }

    /** A count within {@code min..max}; the message names {@code what} and the range. */
    static int within(int value, int min, int max, String what) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    what + " must be " + min + ".." + max + ": " + value);
        }
        return value;
    }

    /**
     * A number of bytes within {@code min..max}; the message names {@code what} and {@code range}.
     */
    static long within(long bytes, long min, long max, String what, String range) {
        if (bytes < min || bytes > max) {
            throw new IllegalArgumentException(what + " must be " + range + ": " + bytes);
        }
        return bytes;
    }

    /** A memory size: 16 MiB to 1 TiB. */
    static long memory(long bytes, String what) {
        return within(bytes, 16L << 20, 1L << 40, what, "16MiB..1TiB");
    }

    /** A duration above zero. */
    static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
        return d;
    }

    /** A duration of zero or more. */
    static Duration notNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative");
        }
        return d;
    }

    /** How long a request may wait for memory: zero to a minute. */
    static Duration memoryWait(Duration wait) {
        Objects.requireNonNull(wait, "memory wait");
        if (wait.isNegative() || wait.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("memory wait must be 0..60s: " + wait);
        }
        return wait;
    }

    /** A node id: 1 to 64 letters, digits, '.', '_' or '-'. */
    static String nodeId(String id) {
        Objects.requireNonNull(id, "node id");
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException(
                    "a node id is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return id;
    }

    /** A bootstrap key: none, or 16 characters or more. */
    static String bootstrapKey(String key) {
        if (key != null && key.length() < 16) {
            throw new IllegalArgumentException("bootstrap key must be 16+ characters");
        }
        return key;
    }

    /** A folder of Python packages offered under {@code name}: a good name and a folder. */
    static Path packages(String name, Path dir) {
        dev.airlock.lang.PythonPackages.mount(dir, name);
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw new IllegalArgumentException("packages " + name + ": not a folder: " + dir);
        }
        return dir;
    }

    /** The tenants that may name secret {@code name}: at least one, none blank. */
    static Collection<String> secretTenants(String name, Collection<String> tenants) {
        if (tenants.isEmpty() || tenants.stream().anyMatch(t -> t == null || t.isBlank())) {
            throw new IllegalArgumentException("secret tenants of " + name + ": empty tenant");
        }
        return tenants;
    }

    /** Refuses a setting that may be given once per name, given again. */
    static void once(Object before, String what) {
        if (before != null) {
            throw new IllegalArgumentException(what + " given twice");
        }
    }
}
