package dev.airlock.cli.audit;

import dev.airlock.audit.AuditVerifier;
import dev.airlock.audit.store.StoreVerification;
import java.io.PrintWriter;

/** What {@code airlock audit verify} prints for the store, and its exit status. */
final class StoreReport {
    /** Everything holds, but a writer stopped uncleanly. */
    static final int CRASHED = 3;

    private static final int MAX_RUN_FAULTS = 20;

    private StoreReport() {}

    /** A writer id as read from the store, reduced to the characters an id may hold. */
    static String safe(String id) {
        String t = id.length() > 64 ? id.substring(0, 64) + "..." : id;
        return t.replaceAll("[^A-Za-z0-9_.-]", "?");
    }

    /** Prints the result; returns 0 (intact), 1 (broken or edited) or {@link #CRASHED}. */
    static int print(StoreVerification v, PrintWriter out, PrintWriter err) {
        if (!v.intact()) {
            for (StoreVerification.Writer w : v.writers()) {
                if (w.broken()) {
                    AuditVerifier.Result r = w.result();
                    String where = r.brokenLine() > 0 ? " (line " + r.brokenLine() + ")" : "";
                    err.printf(
                            "airlock: audit trail broken at seq %d%s of writer %s: %s; verified"
                                    + " up to seq %d%n",
                            r.brokenSeq(),
                            where,
                            safe(w.id()),
                            r.reason(),
                            Math.max(0, r.sealedUpTo()));
                }
            }
            int shown = 0;
            for (String fault : v.runFaults()) {
                if (shown++ == MAX_RUN_FAULTS) {
                    err.printf(
                            "airlock: ... and %d more runs%n",
                            v.runFaults().size() - MAX_RUN_FAULTS);
                    break;
                }
                err.println("airlock: " + fault);
            }
            err.flush();
            return 1;
        }
        out.printf(
                "ok: %d records from %d %s, chains intact; %d runs match the outcomes sealed in"
                        + " their chains%s%n",
                v.records(),
                v.writers().size(),
                v.writers().size() == 1 ? "writer" : "writers",
                v.runsChecked(),
                v.runsUnchecked() == 0
                        ? ""
                        : " (" + v.runsUnchecked() + " recorded before outcomes were sealed)");
        for (StoreVerification.Writer w : v.writers()) {
            AuditVerifier.Result r = w.result();
            if (r.recoveredAt() >= 0) {
                out.printf(
                        "crash: writer %s stopped uncleanly; the tail it left was sealed at seq %d"
                                + " (events it still held are missing, nothing was altered)%n",
                        safe(w.id()), r.recoveredAt());
            } else if (w.crashed()) {
                out.printf(
                        "crash: writer %s stopped uncleanly; records %d.. after its last"
                                + " checkpoint (seq %d) are not sealed yet: the next run seals"
                                + " them%n",
                        safe(w.id()), r.sealedUpTo() + 1, r.sealedUpTo());
            } else if (w.writing()) {
                out.printf(
                        "writing: writer %s is live; records %d.. are not sealed yet%n",
                        safe(w.id()), r.sealedUpTo() + 1);
            }
        }
        out.flush();
        return v.crashed() ? CRASHED : 0;
    }
}
