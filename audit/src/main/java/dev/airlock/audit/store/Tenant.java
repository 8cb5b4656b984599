package dev.airlock.audit.store;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tenant: whose runs, sessions and keys these are, with its limits.
 *
 * @param name 1 to 64 characters of {@code [A-Za-z0-9._-]}
 * @param limits its ceilings and quotas
 * @param createdAt when it was created
 */
public record Tenant(String name, TenantLimits limits, Instant createdAt) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /**
     * @throws IllegalArgumentException for a bad name
     */
    public Tenant {
        checkName(name);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * @throws IllegalArgumentException unless 1 to 64 characters of {@code [A-Za-z0-9._-]}
     */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "a tenant name is 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        return name;
    }
}
