package dev.airlock.server.service;

import dev.airlock.audit.store.KeyInfo;
import dev.airlock.audit.store.NewKey;
import dev.airlock.audit.store.Principal;
import dev.airlock.audit.store.Store;
import dev.airlock.audit.store.StoreException;
import dev.airlock.audit.store.Tenant;
import dev.airlock.audit.store.TenantLimits;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.KeyRequest;
import dev.airlock.server.api.TenantRequest;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What admin keys may do: manage tenants' ceilings and quotas, and API keys. Every method checks
 * that the caller is an admin (403 otherwise).
 */
public final class AdminService {
    private final Store store;

    public AdminService(Store store) {
        this(store, null);
    }

    /**
     * @param auditKey the public key that signs this server's audit chains, or null to verify each
     *     chain with the key registered in the store for its node (servers on a shared database)
     */
    public AdminService(Store store, java.security.PublicKey auditKey) {
        this.store = store;
        this.auditKey = auditKey;
    }

    private final java.security.PublicKey auditKey;

    /**
     * Verifies every audit chain in the store and the runs against their sealed outcomes ({@code
     * GET /v1/admin/audit/verification}): {@code intact} (no chain broken, no run edited), {@code
     * crashed} (a writer stopped uncleanly), the runs checked, and each chain's result. It reads
     * the whole trail, so it is for admin keys only.
     */
    public Map<String, Object> verifyAudit(Principal who) {
        check(who);
        dev.airlock.audit.store.StoreVerification v;
        try {
            v = auditKey == null ? store.verifyAll() : store.verifyAll(auditKey);
        } catch (StoreException e) {
            throw new UncheckedIOException(e);
        }
        List<Map<String, Object>> writers = new java.util.ArrayList<>();
        for (dev.airlock.audit.store.StoreVerification.Writer w : v.writers()) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("writer", w.id());
            m.put("live", w.live());
            m.put("ok", w.result().ok());
            // a live writer's newest records wait for their checkpoint: not sealed, not broken
            m.put("unsealed", w.result().unsealed());
            m.put("broken", w.broken());
            m.put("crashed", w.crashed());
            m.put("records", w.result().records());
            m.put("sealedUpTo", w.result().sealedUpTo());
            if (w.result().reason() != null) {
                m.put("reason", w.result().reason());
            }
            if (w.broken()) {
                m.put("brokenSeq", w.result().brokenSeq());
            }
            writers.add(m);
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("intact", v.intact());
        out.put("crashed", v.crashed());
        out.put("runsChecked", v.runsChecked());
        out.put("runsUnchecked", v.runsUnchecked());
        out.put("runFaults", v.runFaults());
        out.put("writers", writers);
        return out;
    }

    private static void check(Principal who) {
        if (!who.admin()) {
            throw ApiException.forbidden("this needs an admin key");
        }
    }

    /** All tenants. */
    public List<Tenant> tenants(Principal who) {
        check(who);
        try {
            return store.tenants().list();
        } catch (StoreException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates or updates a tenant.
     *
     * @throws ApiException 400 for a bad name or a non-positive value
     */
    public Tenant putTenant(Principal who, String name, TenantRequest r) {
        check(who);
        try {
            TenantLimits base =
                    store.tenants().get(name).map(Tenant::limits).orElse(TenantLimits.defaults());
            TenantLimits limits =
                    new TenantLimits(
                            r.maxTimeoutMs() == null
                                    ? base.maxTimeout()
                                    : Duration.ofMillis(r.maxTimeoutMs()),
                            or(r.maxMemoryBytes(), base.maxMemoryBytes()),
                            or(r.maxOutputBytes(), base.maxOutputBytes()),
                            or(r.maxFuel(), base.maxFuel()),
                            r.maxConcurrentRuns() == null
                                    ? base.maxConcurrentRuns()
                                    : r.maxConcurrentRuns(),
                            r.maxRunsPerMinute() == null
                                    ? base.maxRunsPerMinute()
                                    : r.maxRunsPerMinute());
            return store.tenants().get(name).isPresent()
                    ? store.tenants().update(name, limits)
                    : store.tenants().create(name, limits);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (StoreException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long or(Long v, long fallback) {
        return v == null ? fallback : v;
    }

    /**
     * A new key for a tenant (created with default limits if new); the secret is shown once.
     *
     * @throws ApiException 400 for a bad tenant name
     */
    public Map<String, Object> createKey(Principal who, String tenant, KeyRequest r) {
        check(who);
        try {
            NewKey k =
                    store.apiKeys()
                            .create(
                                    tenant,
                                    r != null && Boolean.TRUE.equals(r.admin()),
                                    r == null ? null : r.label());
            return Map.of(
                    "keyId", k.keyId(),
                    "secret", k.secret(),
                    "tenant", k.principal().tenant(),
                    "admin", k.principal().admin());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (StoreException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keys (never their secrets), of one tenant or all. */
    public List<KeyInfo> keys(Principal who, String tenant) {
        check(who);
        try {
            return store.apiKeys().list(tenant);
        } catch (StoreException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Revokes a key.
     *
     * @throws ApiException 404 if there is no such key
     */
    public void revoke(Principal who, String keyId) {
        check(who);
        try {
            if (!store.apiKeys().revoke(keyId)) {
                throw ApiException.notFound("no key " + keyId);
            }
        } catch (StoreException e) {
            throw new UncheckedIOException(e);
        }
    }
}
