package dev.airlock.server.api;

/**
 * {@code PUT /v1/admin/tenants/{name}}: a tenant's ceilings and quotas; absent fields keep their
 * current value (or the default, for a new tenant).
 *
 * @param maxTimeoutMs the largest timeout a request may ask for
 * @param maxMemoryBytes the largest memory
 * @param maxOutputBytes the largest output cap
 * @param maxFuel the largest fuel budget
 * @param maxConcurrentRuns executions running at once
 * @param maxRunsPerMinute executions started in any minute
 */
public record TenantRequest(
        Long maxTimeoutMs,
        Long maxMemoryBytes,
        Long maxOutputBytes,
        Long maxFuel,
        Integer maxConcurrentRuns,
        Integer maxRunsPerMinute) {}
