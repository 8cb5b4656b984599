package dev.airlock.server.api;

import java.time.Instant;

/**
 * A session snapshot (kept in the server's memory while its session lives).
 *
 * @param id the snapshot's id, to restore it
 * @param sessionId the session it was taken from
 * @param createdAt when it was taken
 * @param memoryBytes the interpreter memory it holds
 */
public record SnapshotInfo(String id, String sessionId, Instant createdAt, long memoryBytes) {}
