package dev.airlock.audit;

/**
 * One sealed line of the trail with the fields a store indexes.
 *
 * @param seq chain position
 * @param runId the run, or {@code null} for a checkpoint
 * @param sessionId the run's session, or {@code null} (none, or a checkpoint)
 * @param type {@code call}, {@code lifecycle} or {@code checkpoint}
 * @param timeMillis when it happened
 * @param denied whether it records a denied call
 * @param hash its hash
 * @param line the exact JSON text
 */
public record SealedRecord(
        long seq,
        String runId,
        String sessionId,
        String type,
        long timeMillis,
        boolean denied,
        String hash,
        String line) {}
