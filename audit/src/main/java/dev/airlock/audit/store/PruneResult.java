package dev.airlock.audit.store;

/**
 * What {@link Store#prune(java.time.Instant)} removed.
 *
 * @param auditRecords audit rows deleted (whole checkpoint spans)
 * @param runs run rows deleted
 * @param anchorSeq the highest position any writer's remaining chain continues from (each writer's
 *     chain is pruned by whole checkpoint spans of its own; unchanged if no span was old enough)
 */
public record PruneResult(long auditRecords, long runs, long anchorSeq) {}
