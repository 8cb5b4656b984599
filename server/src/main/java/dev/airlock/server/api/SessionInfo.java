package dev.airlock.server.api;

import java.time.Instant;
import java.util.List;

/**
 * A session as the API shows it.
 *
 * @param id the session's id
 * @param language its language
 * @param createdAt when it was created
 * @param lastUsedAt when it last ran code or moved files
 * @param expiresAt when it expires if left idle
 * @param snapshots the ids of its snapshots, oldest first
 */
public record SessionInfo(
        String id,
        String language,
        Instant createdAt,
        Instant lastUsedAt,
        Instant expiresAt,
        List<String> snapshots) {}
