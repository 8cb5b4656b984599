package dev.airlock.audit.store;

import java.time.Instant;

/**
 * A key as lists show it (never its secret).
 *
 * @param keyId its public id
 * @param tenant its tenant
 * @param admin whether it is an admin key
 * @param label its note, or null
 * @param createdAt when it was made
 * @param revokedAt when it was revoked, or null
 */
public record KeyInfo(
        String keyId,
        String tenant,
        boolean admin,
        String label,
        Instant createdAt,
        Instant revokedAt) {}
