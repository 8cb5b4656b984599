package dev.airlock.server.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.airlock.audit.store.TenantLimits;
import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.lang.Language;
import dev.airlock.server.ServerConfig;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.SessionRequest;
import dev.airlock.server.http.Json;
import java.util.function.Function;

/**
 * Sessions' policies: derived from the tenant's ceilings and the request that opens the session,
 * and, on a shared store, derived again on any node from the request kept with the session.
 */
final class SessionPolicies {
    private final ServerConfig config;
    private final Function<String, TenantLimits> ceilings;

    /**
     * @param ceilings a tenant's ceilings and quotas
     */
    SessionPolicies(ServerConfig config, Function<String, TenantLimits> ceilings) {
        this.config = config;
        this.ceilings = ceilings;
    }

    /** A session's policy, from its tenant's ceilings and the request that opens it. */
    Policy policy(String tenant, SessionRequest r) {
        Language language = Requests.language(r.language(), false);
        Limits limits =
                Requests.limits(r.limits(), ceilings.apply(tenant), config.defaultLimits(), false);
        return Requests.network(
                new PackageSets(config.packages())
                        .apply(
                                Requests.policy(r.env(), null, null, limits),
                                r.packages(),
                                language),
                r.allowNet(),
                r.secrets(),
                config.network(),
                name -> config.secretFor(name, tenant));
    }

    /** A kept session's policy on this node, from the request it was opened with. */
    Policy kept(String tenant, String request) {
        try {
            return policy(tenant, Json.MAPPER.readValue(request, SessionRequest.class));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("its request cannot be read: " + e.getOriginalMessage());
        }
    }

    /**
     * The request to keep with a session (its files left out, as JSON), so that any node can derive
     * its policy again; null on a lone server, which keeps none.
     */
    String toKeep(SessionRequest r) {
        if (config.nodeId() == null) {
            return null;
        }
        try {
            return Json.MAPPER.writeValueAsString(
                    new SessionRequest(
                            r.language(),
                            r.env(),
                            null,
                            r.limits(),
                            r.packages(),
                            r.allowNet(),
                            r.secrets()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
