package dev.airlock.cli;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.HashChain;
import dev.airlock.audit.JsonlSink;
import dev.airlock.audit.store.Store;
import dev.airlock.core.Outcome;
import dev.airlock.core.event.EventSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * Where one CLI run is recorded: the store in the data folder (the run, its outcome and its audit
 * events, in a chain of this process's own writer, beside those of other processes such as a server
 * on the same folder) unless disabled, and a JSON Lines trail file if asked for. Opening the store
 * first seals the chains of writers that died without closing theirs. Both trails are sealed and
 * closed by {@link #finish}, which fails when the run's records could not be stored.
 */
public final class Recording implements AutoCloseable {
    private final Store store;
    private final AuditTrail storeTrail;
    private final AuditTrail fileTrail;
    private final Instant started = Instant.now();
    private String runId;

    private Recording(Store store, AuditTrail storeTrail, AuditTrail fileTrail) {
        this.store = store;
        this.storeTrail = storeTrail;
        this.fileTrail = fileTrail;
    }

    /**
     * @param dataDir the data folder (keys, store)
     * @param useStore whether to record into the store
     * @param auditFile a JSON Lines trail to write, or {@code null}
     */
    public static Recording open(Path dataDir, boolean useStore, Path auditFile)
            throws IOException {
        if (!useStore && auditFile == null) {
            return new Recording(null, null, null);
        }
        AuditKeys keys = AuditKeys.loadOrCreate(dataDir);
        Store store = null;
        AuditTrail storeTrail = null;
        AuditTrail fileTrail = null;
        try {
            if (useStore) {
                store = Store.open(dataDir);
                store.recoverCrashed(keys);
                storeTrail = new AuditTrail(store.trailSink(), keys, store.chain(), 10_000);
            }
            if (auditFile != null) {
                fileTrail =
                        new AuditTrail(new JsonlSink(auditFile), keys, HashChain.start(), 10_000);
            }
            return new Recording(store, storeTrail, fileTrail);
        } catch (IOException | RuntimeException e) {
            if (storeTrail != null) {
                storeTrail.close();
            }
            if (store != null) {
                store.close();
            }
            throw e;
        }
    }

    /** The sink for the run's events. */
    public EventSink sink() {
        return e -> {
            runId = e.runId();
            if (storeTrail != null) {
                storeTrail.accept(e);
            }
            if (fileTrail != null) {
                fileTrail.accept(e);
            }
        };
    }

    /**
     * Records the outcome (in the store, with its outcome sealed into the chain), seals and closes
     * the trails; returns the run id.
     *
     * @throws IOException if a trail cannot be written, or the run's records cannot be stored (the
     *     run is then not recorded)
     */
    public String finish(Outcome outcome) throws IOException {
        return finish(outcome, null);
    }

    /**
     * Records a run whose events went to this recording's sink besides the main one (a skill called
     * by another), under its own id, in the store (the trail file has its events already).
     *
     * @throws IOException if its records cannot be stored
     */
    public void alsoRecord(String id, Outcome outcome) throws IOException {
        if (storeTrail != null && id != null) {
            store.recordRun(storeTrail, id, outcome, started, Instant.now(), null, null);
        }
    }

    /** As {@link #finish(Outcome)}, under {@code id} if not null (else the last event's run). */
    public String finish(Outcome outcome, String id) throws IOException {
        if (id == null) {
            id = runId != null ? runId : UUID.randomUUID().toString();
        }
        if (fileTrail != null) {
            fileTrail.close();
        }
        if (storeTrail != null) {
            try {
                store.recordRun(storeTrail, id, outcome, started, Instant.now(), null, null);
            } catch (IOException e) {
                try {
                    storeTrail.close();
                } catch (IOException c) {
                    e.addSuppressed(c);
                }
                throw e;
            }
            storeTrail.close();
        }
        return id;
    }

    @Override
    public void close() throws IOException {
        try {
            if (storeTrail != null) {
                storeTrail.close();
            }
        } finally {
            if (store != null) {
                store.close();
            }
        }
    }
}
