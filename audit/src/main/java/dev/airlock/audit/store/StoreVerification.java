package dev.airlock.audit.store;

import dev.airlock.audit.AuditVerifier;
import java.util.List;

/**
 * What {@link Store#verifyAll} found: every writer's chain, and every run checked against the
 * outcome sealed in its chain.
 *
 * @param writers every writer's chain, oldest first
 * @param runsChecked runs whose stored outcome matched their chained {@code run} record
 * @param runsUnchecked runs recorded before outcomes were chained (schema versions before 4): not
 *     checkable
 * @param runFaults one line per run whose stored outcome differs from its chained record or that
 *     has none (edited or inserted rows)
 */
public record StoreVerification(
        List<Writer> writers, long runsChecked, long runsUnchecked, List<String> runFaults) {

    public StoreVerification {
        writers = List.copyOf(writers);
        runFaults = List.copyOf(runFaults);
    }

    /**
     * One writer's chain.
     *
     * @param id the writer id ({@code legacy} for the chain of schema versions before 4)
     * @param live whether its writer still holds it (a store open in a live process)
     * @param result what {@link AuditVerifier} found
     */
    public record Writer(String id, boolean live, AuditVerifier.Result result) {
        /** Whether the chain is broken: edited, removed or added records (tampering). */
        public boolean broken() {
            return !result.ok() && !result.unsealed();
        }

        /**
         * Whether its writer stopped uncleanly (a crash): its tail was sealed by a checkpoint
         * marked {@code "stop":"unclean"}, or is still unsealed while no writer holds it.
         */
        public boolean crashed() {
            return result.recoveredAt() >= 0 || (result.unsealed() && !live);
        }

        /** Whether a live writer has records after its last checkpoint (it is writing). */
        public boolean writing() {
            return result.unsealed() && live;
        }
    }

    /** Whether nothing is broken and every checkable run matches: crashes do not count. */
    public boolean intact() {
        return runFaults.isEmpty() && writers.stream().noneMatch(Writer::broken);
    }

    /** Whether some writer stopped uncleanly. */
    public boolean crashed() {
        return writers.stream().anyMatch(Writer::crashed);
    }

    /** The records read, in all chains. */
    public long records() {
        return writers.stream().mapToLong(w -> w.result().records()).sum();
    }

    /**
     * The whole as one {@link AuditVerifier.Result}: the first broken chain's result, else a run
     * fault, else the first unsealed tail, else ok (records of every chain; {@code sealedUpTo} and
     * {@code recoveredAt} of the newest writer that has them).
     */
    public AuditVerifier.Result summary() {
        for (Writer w : writers) {
            if (w.broken()) {
                return w.result();
            }
        }
        if (!runFaults.isEmpty()) {
            return new AuditVerifier.Result(false, records(), 0, -1, -1, runFaults.get(0));
        }
        for (Writer w : writers) {
            if (w.result().unsealed()) {
                return w.result();
            }
        }
        long sealed = 0;
        long recovered = -1;
        for (Writer w : writers) {
            sealed = w.result().sealedUpTo() > 0 ? w.result().sealedUpTo() : sealed;
            recovered = w.result().recoveredAt() >= 0 ? w.result().recoveredAt() : recovered;
        }
        return new AuditVerifier.Result(true, records(), sealed, -1, -1, null, recovered, false);
    }
}
