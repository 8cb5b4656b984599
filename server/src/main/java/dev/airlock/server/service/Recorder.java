package dev.airlock.server.service;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.store.RunRecord;
import dev.airlock.audit.store.Store;
import dev.airlock.audit.store.StoreException;
import dev.airlock.core.Outcome;
import dev.airlock.server.api.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Records executions in the store: every event through one audit trail on the store's own writer
 * chain (hash chained, signed checkpoints; other processes on the same store write their own), and
 * each run's outcome, sealed into that chain and kept with its tenant and session. On start it
 * seals the chains of writers that died without closing theirs. Reads are tenant-scoped: a run of
 * another tenant is simply not there.
 */
final class Recorder implements AutoCloseable {
    private final Store store;
    private final AuditTrail trail;
    private final RunTraces traces;

    Recorder(Store store, AuditKeys keys, RunTraces traces) throws StoreException {
        this.store = store;
        this.traces = traces;
        for (Store.Recovery r : store.recoverCrashed(keys)) {
            System.getLogger("airlock.server")
                    .log(
                            System.Logger.Level.WARNING,
                            "audit writer "
                                    + r.writer()
                                    + " stopped uncleanly; its trail is sealed at seq "
                                    + r.seq());
        }
        this.trail = new AuditTrail(store.trailSink(), keys, store.chain(), 10_000);
    }

    /** A sink for one run's (or one session's) events. */
    RunCapture capture() {
        return new RunCapture(trail, traces.on());
    }

    /**
     * Records a finished run once its audit records are stored; returns its id (a new one if the
     * run sent no event).
     *
     * @throws ApiException 500 if the run's records or its row cannot be stored: the run is then
     *     not recorded, and is not answered as if it were (the failure is logged)
     */
    String record(
            RunCapture capture,
            Outcome outcome,
            Instant started,
            Instant ended,
            String tenant,
            String session) {
        String id = capture.runId(session);
        if (id == null) {
            id = UUID.randomUUID().toString();
        }
        try {
            store.recordRun(trail, id, outcome, started, ended, tenant, session, Origins.current());
            traces.run(id, outcome, started, ended, tenant, session, capture.takeBatches(session));
        } catch (StoreException e) {
            System.getLogger("airlock.server")
                    .log(System.Logger.Level.ERROR, "run " + id + " not recorded", e);
            throw new ApiException(
                    500,
                    "internal",
                    "Internal server error",
                    "the run could not be recorded in the audit store, so its result is withheld;"
                            + " the failure has been logged",
                    0);
        }
        return id;
    }

    /**
     * Records a finished run under its own id (a skill called by another, whose events went to the
     * caller's capture); returns the id (a new one if {@code id} is null).
     *
     * @throws ApiException 500 as {@link #record}
     */
    String recordAs(String id, Outcome outcome, Instant started, Instant ended, String tenant) {
        String runId = id == null ? UUID.randomUUID().toString() : id;
        try {
            store.recordRun(trail, runId, outcome, started, ended, tenant, null, Origins.current());
            traces.run(runId, outcome, started, ended, tenant, null, null);
        } catch (StoreException e) {
            System.getLogger("airlock.server")
                    .log(System.Logger.Level.ERROR, "run " + runId + " not recorded", e);
            throw new ApiException(
                    500,
                    "internal",
                    "Internal server error",
                    "the run could not be recorded in the audit store, so its result is withheld;"
                            + " the failure has been logged",
                    0);
        }
        return runId;
    }

    /**
     * The tenant's run with this id, if any.
     *
     * @throws ApiException 500 if its stored outcome differs from the one sealed in its audit trail
     *     (the store was edited): the forged outcome is withheld (and logged)
     */
    /** The node that recorded the run, or null. */
    String node(String runId) {
        try {
            return store.runNode(runId).orElse(null);
        } catch (StoreException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<RunRecord> run(String tenant, String runId) {
        Optional<RunRecord> r = find(tenant, runId);
        if (r.isPresent()) {
            Optional<String> fault;
            try {
                fault = store.outcomeFault(runId);
            } catch (StoreException e) {
                throw new UncheckedIOException(e);
            }
            if (fault.isPresent()) {
                System.getLogger("airlock.server")
                        .log(
                                System.Logger.Level.ERROR,
                                "run "
                                        + runId
                                        + ": its stored "
                                        + fault.get()
                                        + " differs from the outcome sealed in the audit trail");
                throw new ApiException(
                        500,
                        "internal",
                        "Internal server error",
                        "the stored outcome of this run differs from the one sealed in its audit"
                                + " trail, so it is withheld; the failure has been logged",
                        0);
            }
        }
        return r;
    }

    private Optional<RunRecord> find(String tenant, String runId) {
        try {
            return store.run(tenant, runId);
        } catch (StoreException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The tenant's latest runs, newest first, at most {@code limit}; a run whose stored outcome
     * differs from the one sealed in its audit trail (the store was edited) is left out and logged,
     * as {@link #run} withholds it.
     */
    List<RunRecord> runs(String tenant, int limit) {
        try {
            List<RunRecord> out = new java.util.ArrayList<>();
            for (RunRecord r : store.runsOfTenant(tenant, limit)) {
                Optional<String> fault = store.outcomeFault(r.runId());
                if (fault.isEmpty()) {
                    out.add(r);
                } else {
                    System.getLogger("airlock.server")
                            .log(
                                    System.Logger.Level.ERROR,
                                    "run "
                                            + r.runId()
                                            + ": its stored "
                                            + fault.get()
                                            + " differs from the outcome sealed in the audit"
                                            + " trail; left out of the run list");
                }
            }
            return out;
        } catch (StoreException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The sealed audit records of the tenant's run, in order (after writing out what is pending);
     * empty if the run is not the tenant's.
     */
    Optional<List<String>> audit(String tenant, String runId) {
        if (find(tenant, runId).isEmpty()) {
            return Optional.empty();
        }
        try {
            trail.flush();
            return Optional.of(store.auditLines(runId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Seals and closes the trail. A trail that failed earlier (its failure was then an error for
     * every run that it could not record) is logged, not thrown: its chain stays open and the next
     * writer seals it as an unclean stop.
     */
    @Override
    public void close() {
        try {
            trail.close();
        } catch (IOException e) {
            System.getLogger("airlock.server")
                    .log(
                            System.Logger.Level.ERROR,
                            "the audit trail could not be sealed: " + e.getMessage());
        }
    }
}
