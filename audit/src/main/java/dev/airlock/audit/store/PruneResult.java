package dev.airlock.audit.store;

/**
 * What {@link Store#prune(java.time.Instant)} removed.
 *
 * @param auditRecords audit rows deleted (whole checkpoint spans)
 * @param runs run rows deleted
 * @param anchorSeq the chain position the remaining trail continues from (unchanged if no
 *     checkpoint span was old enough)
 */
public record PruneResult(long auditRecords, long runs, long anchorSeq) {}
