package dev.airlock.audit.store;

/**
 * Who a request is: the key it came with and that key's tenant.
 *
 * @param keyId the key's public id
 * @param tenant the tenant the key belongs to
 * @param admin whether the key may manage tenants and keys
 */
public record Principal(String keyId, String tenant, boolean admin) {}
