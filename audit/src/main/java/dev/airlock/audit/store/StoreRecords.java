package dev.airlock.audit.store;

import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.RunOutcome;
import dev.airlock.core.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Store} records and reads back: runs (their outcomes sealed into the writer's chain
 * before their rows are written) and the stored audit lines, by run, session, tenant or position.
 * Only {@link Store} extends it: its public methods are the store's own (Javadoc shows them as
 * Store's), kept here so that the store's class holds its opening, writer chain, verification and
 * pruning.
 */
abstract sealed class StoreRecords permits Store {
    final Db db;
    final StoreWriter writer;

    StoreRecords(Db db, StoreWriter writer) {
        this.db = db;
        this.writer = writer;
    }

    /**
     * Records a run that ended now, for no tenant or session.
     *
     * @see #recordRun(String, Outcome, Instant, Instant, String, String)
     */
    public RunRecord recordRun(String runId, Outcome outcome, Instant startedAt)
            throws StoreException {
        return recordRun(runId, outcome, startedAt, Instant.now(), null, null);
    }

    /**
     * Records a run whose events went through {@code trail} (a trail on this store's {@link
     * Store#trailSink()}): seals its outcome into the chain as a {@code run} record, waits until
     * the trail has stored everything it accepted, then records the run's row, which {@link
     * Store#verifyAll} checks against that record. A run is reported recorded only when this
     * returns.
     *
     * @throws StoreException if the trail cannot store its records (it failed or is closed, or the
     *     store is closed), a run with this id is already recorded, or the write fails
     */
    public RunRecord recordRun(
            AuditTrail trail,
            String runId,
            Outcome outcome,
            Instant startedAt,
            Instant endedAt,
            String tenantId,
            String sessionId)
            throws StoreException {
        return recordRun(
                trail, runId, outcome, startedAt, endedAt, tenantId, sessionId, RunOrigin.NONE);
    }

    /**
     * As {@link #recordRun(AuditTrail, String, Outcome, Instant, Instant, String, String)}, with
     * the request and trace that made the run.
     *
     * @throws StoreException as that method
     */
    public RunRecord recordRun(
            AuditTrail trail,
            String runId,
            Outcome outcome,
            Instant startedAt,
            Instant endedAt,
            String tenantId,
            String sessionId,
            RunOrigin origin)
            throws StoreException {
        Objects.requireNonNull(trail, "trail");
        try {
            trail.acceptOutcome(RunOutcome.of(runId, sessionId, endedAt.toEpochMilli(), outcome));
            trail.sync();
        } catch (StoreException e) {
            throw e;
        } catch (IllegalStateException e) {
            throw new StoreException(
                    "store " + db.location + ": run " + runId + " not recorded: " + e.getMessage(),
                    e);
        } catch (java.io.IOException e) {
            throw new StoreException(
                    "store "
                            + db.location
                            + ": the run's audit records were not stored: "
                            + e.getMessage(),
                    e);
        }
        return insertRun(runId, outcome, startedAt, endedAt, tenantId, sessionId, origin);
    }

    /**
     * Records a run's outcome.
     *
     * @param runId the run id its events carry ({@link dev.airlock.core.event.Event#runId()})
     * @param outcome what {@link dev.airlock.core.Airlock#run} returned
     * @param startedAt when it started (kept to the millisecond)
     * @param endedAt when it ended (kept to the millisecond; {@link Store#prune} goes by it)
     * @param tenantId the tenant, or {@code null}
     * @param sessionId the session, or {@code null}
     * @return the stored record
     * @throws StoreException if a run with this id is already recorded, or the write fails
     */
    public RunRecord recordRun(
            String runId,
            Outcome outcome,
            Instant startedAt,
            Instant endedAt,
            String tenantId,
            String sessionId)
            throws StoreException {
        return insertRun(runId, outcome, startedAt, endedAt, tenantId, sessionId, RunOrigin.NONE);
    }

    private RunRecord insertRun(
            String runId,
            Outcome outcome,
            Instant startedAt,
            Instant endedAt,
            String tenantId,
            String sessionId,
            RunOrigin origin)
            throws StoreException {
        Objects.requireNonNull(outcome, "outcome");
        RunRecord r =
                new RunRecord(
                        runId,
                        Instant.ofEpochMilli(startedAt.toEpochMilli()),
                        Instant.ofEpochMilli(endedAt.toEpochMilli()),
                        outcome.moduleSha256(),
                        outcome.status(),
                        outcome.kind(),
                        outcome.exitCode(),
                        outcome.message(),
                        outcome.usage(),
                        outcome.denials(),
                        tenantId,
                        sessionId,
                        origin);
        RunRows.insert(db, r, writer.nodeId());
        return r;
    }

    /** The run with this id, if recorded (and not pruned). */
    public Optional<RunRecord> run(String runId) throws StoreException {
        return RunRows.get(db, Objects.requireNonNull(runId, "runId"));
    }

    /**
     * The latest runs, newest start first.
     *
     * @param limit at most this many (at least 1)
     */
    public List<RunRecord> runs(int limit) throws StoreException {
        return RunRows.list(db, null, positive(limit));
    }

    /** The tenant's run with this id: empty when there is none or it is another tenant's. */
    public Optional<RunRecord> run(String tenant, String runId) throws StoreException {
        Objects.requireNonNull(tenant, "tenant");
        return run(runId).filter(r -> tenant.equals(r.tenantId()));
    }

    /**
     * What of the run's stored outcome differs from the outcome sealed in its chain ({@code
     * status}, {@code kind}, {@code exit code} or {@code message}: the row was edited); empty when
     * it matches, or when the run or its sealed outcome is not there (runs recorded before outcomes
     * were sealed).
     *
     * @throws StoreException if the store cannot be read
     */
    public Optional<String> outcomeFault(String runId) throws StoreException {
        Objects.requireNonNull(runId, "runId");
        return Optional.ofNullable(
                db.read("check a run's outcome", c -> TrailCheck.outcomeFault(c, runId)));
    }

    /** The audit records of the tenant's run; empty when the run is not the tenant's. */
    public List<String> auditLines(String tenant, String runId) throws StoreException {
        return run(tenant, runId).isPresent() ? auditLines(runId) : List.of();
    }

    /** The latest runs of one tenant, newest start first, at most {@code limit}. */
    public List<RunRecord> runsOfTenant(String tenant, int limit) throws StoreException {
        return RunRows.listOfTenant(db, Objects.requireNonNull(tenant, "tenant"), positive(limit));
    }

    /** The latest runs of one session, newest start first, at most {@code limit}. */
    public List<RunRecord> runs(String sessionId, int limit) throws StoreException {
        return RunRows.list(db, Objects.requireNonNull(sessionId, "sessionId"), positive(limit));
    }

    /** The node that recorded the run (empty: no such run, or recorded by no named node). */
    public Optional<String> runNode(String runId) throws StoreException {
        return RunRows.node(db, runId);
    }

    /** The number of audit records stored, in every writer's chain. */
    public long recordCount() throws StoreException {
        return TrailRows.count(db);
    }

    /** Every stored audit line in chain order (all in memory: page with the other overload). */
    public List<String> auditLines() throws StoreException {
        return TrailRows.lines(db, "", null, Long.MIN_VALUE, 0);
    }

    /** At most {@code limit} audit lines after chain position {@code afterSeq}, in order. */
    public List<String> auditLines(long afterSeq, int limit) throws StoreException {
        return TrailRows.lines(db, "", null, afterSeq, positive(limit));
    }

    /** The audit lines of one run, in order (checkpoints belong to no run). */
    public List<String> auditLines(String runId) throws StoreException {
        Objects.requireNonNull(runId, "runId");
        return TrailRows.lines(db, " AND run_id = ?", runId, Long.MIN_VALUE, 0);
    }

    /** The audit lines of the runs of one session, in order (checkpoints belong to no session). */
    public List<String> sessionAuditLines(String sessionId) throws StoreException {
        Objects.requireNonNull(sessionId, "sessionId");
        return TrailRows.lines(db, " AND session_id = ?", sessionId, Long.MIN_VALUE, 0);
    }

    /** The audit lines of denied host calls, in order. */
    public List<String> deniedLines() throws StoreException {
        return TrailRows.lines(db, " AND denied = ?", Boolean.TRUE, Long.MIN_VALUE, 0);
    }

    private static int positive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1: " + limit);
        }
        return limit;
    }
}
