package dev.airlock.audit.store;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.AuditVerifier;
import dev.airlock.audit.HashChain;
import dev.airlock.audit.RunOutcome;
import dev.airlock.audit.SealedBatch;
import dev.airlock.audit.TrailSink;
import dev.airlock.core.Outcome;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The embedded data store: runs, the sealed audit trail and snapshot metadata, in a SQLite file in
 * the data folder or in a PostgreSQL database. Both offer the same methods and hold the same
 * schema, created and upgraded by versioned migrations when the store is opened.
 *
 * <pre>{@code
 * try (Store store = Store.open(dataDir);
 *         AuditTrail trail = new AuditTrail(store.trailSink(), keys, store.chain(), 1000)) {
 *     String[] runId = new String[1]; // the run id comes with the run's events
 *     Instant startedAt = Instant.now();
 *     Outcome o = airlock.run(module, policy, stdio, e -> { runId[0] = e.runId(); trail.accept(e); });
 *     store.recordRun(runId[0], o, startedAt);
 * }
 * }</pre>
 *
 * <p><b>The audit trail.</b> One hash chain spans every run in the store. {@link #trailSink()}
 * writes each batch an {@link AuditTrail} hands over in one transaction, together with the position
 * of its last checkpoint (the <em>head</em>). {@link #chain()} continues the chain after the last
 * stored record. One trail at a time may write to a store: a second writer's batch is refused (it
 * would fork the chain) and that trail fails.
 *
 * <p><b>Crash guarantee.</b> If the process dies at any moment (including {@code kill -9}), the
 * store opens cleanly afterwards and loses no batch whose {@link TrailSink#append} returned; a
 * batch being written is either entirely there or not at all. The trail verifies up to its last
 * stored checkpoint; records after it, written before the checkpoint that would have followed them,
 * are reported by {@link #verify(PublicKey)} as unsealed ({@code ok} false, {@code sealedUpTo} at
 * that checkpoint, a reason saying they are not sealed), never as broken. The next trail that
 * continues from {@link #chain()} seals them with its first checkpoint. Events still queued in the
 * {@link AuditTrail} when the process dies are lost (see its guarantee). With SQLite ({@code
 * synchronous=NORMAL} in WAL mode) a power cut or operating-system crash may also undo the last few
 * commits; the store then still opens and verifies, ending earlier.
 *
 * <p><b>Threads.</b> A store may be used from several threads (the trail's writer among them);
 * operations run one at a time on a single connection. Several processes may open the same store;
 * SQLite writers then wait for each other up to {@value #BUSY_TIMEOUT_MILLIS} ms.
 *
 * <p>Every failure is a {@link StoreException} (an {@link java.io.IOException}) whose message names
 * the store.
 */
public final class Store implements AutoCloseable {
    /** The SQLite file in the data folder. */
    public static final String FILE_NAME = "airlock.db";

    /** How long a SQLite writer waits for another process's transaction, in milliseconds. */
    public static final int BUSY_TIMEOUT_MILLIS = Db.BUSY_TIMEOUT_MILLIS;

    private final Db db;
    private final int schemaVersion;
    private final WriterLocks locks;

    /** This store's writer chain, once registered by {@link #chain()}. */
    private String writer;

    private WriterLocks.Held writerLock;

    private final TrailSink sink =
            new TrailSink() {
                @Override
                public void append(SealedBatch batch) throws StoreException {
                    String own = writerId();
                    if (own == null || !own.equals(batch.writer())) {
                        throw new StoreException(
                                "store "
                                        + db.location
                                        + ": these audit records belong to "
                                        + (batch.writer() == null
                                                ? "no writer"
                                                : "writer " + batch.writer())
                                        + ", not to this store's "
                                        + (own == null ? "(none yet)" : "writer " + own)
                                        + ": take the trail's chain from Store.chain()");
                    }
                    TrailRows.append(db, own, batch.records());
                }

                @Override
                public void close() {
                    // the store outlives its trails
                }
            };

    private Store(Db db, int schemaVersion, WriterLocks locks) {
        this.db = db;
        this.schemaVersion = schemaVersion;
        this.locks = locks;
    }

    /**
     * Opens the store in a data folder: the SQLite file {@value #FILE_NAME} in it, in WAL mode with
     * {@code synchronous=NORMAL} and a busy timeout of {@value #BUSY_TIMEOUT_MILLIS} ms. The folder
     * and the file are created if missing, and the schema is brought up to date.
     *
     * @throws StoreException if the folder cannot be created, the file is not a SQLite database or
     *     is corrupted, it is a database of something else, its schema is newer than this version
     *     understands, or a migration fails (the file is then left as it was)
     */
    public static Store open(Path dataDir) throws StoreException {
        Objects.requireNonNull(dataDir, "dataDir");
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        return open(Db.sqlite(file), Migrations.bundled(), file);
    }

    /**
     * Opens the store at a JDBC URL: {@code jdbc:postgresql://host[:port]/database} (user and
     * password as URL parameters, {@code ?user=...&password=...}) or {@code jdbc:sqlite:file}. The
     * schema is brought up to date (in PostgreSQL, in the connection's current schema).
     *
     * @throws StoreException if the URL is of another kind, the server cannot be reached or refuses
     *     the login, the database holds tables named like the store's without its version table,
     *     its schema is newer than this version understands, or a migration fails (nothing is then
     *     changed)
     */
    public static Store open(String jdbcUrl) throws StoreException {
        return open(jdbcUrl, new Properties());
    }

    /**
     * As {@link #open(String)}, with driver properties such as {@code user} and {@code password}.
     */
    public static Store open(String jdbcUrl, Properties properties) throws StoreException {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(properties, "properties");
        Path file = jdbcUrl.startsWith("jdbc:sqlite:") ? WriterLocks.sqliteFile(jdbcUrl) : null;
        return open(Db.jdbc(jdbcUrl, properties), Migrations.bundled(), file);
    }

    static Store open(Db db, List<Migrations.Migration> migrations) throws StoreException {
        return open(db, migrations, null);
    }

    private static Store open(Db db, List<Migrations.Migration> migrations, Path file)
            throws StoreException {
        try {
            return new Store(db, Migrations.apply(db, migrations), WriterLocks.of(db, file));
        } catch (StoreException | RuntimeException e) {
            try {
                db.close();
            } catch (StoreException c) {
                e.addSuppressed(c);
            }
            throw e;
        }
    }

    /** The store's file, or its JDBC URL with the password hidden. */
    public String location() {
        return db.location;
    }

    /** The schema version of the open store. */
    public int schemaVersion() {
        return schemaVersion;
    }

    /** The newest schema version this code knows. */
    public static int latestSchemaVersion() {
        return Migrations.latest();
    }

    /**
     * The sink for an {@link AuditTrail} whose chain came from {@link #chain()}: each batch in one
     * transaction. Closing it leaves the store open; close the trail before the store. Its {@code
     * append} throws {@link StoreException} if the store is closed, the batch is not of this
     * store's writer, or it does not continue the writer's stored chain.
     */
    public TrailSink trailSink() {
        return sink;
    }

    /**
     * This store's own writer chain, registered on the first call: a new writer id (16 hex digits,
     * named in every record and checkpoint) whose lock the store holds until it is closed, so that
     * other processes know it is alive. The chain starts empty; later calls return it positioned
     * after its last stored record. One trail at a time may write to it.
     *
     * @throws StoreException if the store cannot be read or written, or the lock not taken
     */
    public synchronized HashChain chain() throws StoreException {
        if (writer == null) {
            byte[] b = new byte[8];
            RANDOM.nextBytes(b);
            String id = HexFormat.of().formatHex(b);
            WriterLocks.Held lock = locks.acquire(id);
            try {
                ChainRows.register(db, id, System.currentTimeMillis());
            } catch (StoreException | RuntimeException e) {
                lock.release();
                throw e;
            }
            writer = id;
            writerLock = lock;
        }
        String id = writer;
        ChainRows.Position p = db.read("read the chain position", c -> ChainRows.last(c, id));
        return new HashChain(id, p.hash(), p.seq());
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** This store's writer id, or {@code null} before {@link #chain()}. */
    public synchronized String writerId() {
        return writer;
    }

    /**
     * The chain position of this store's writer's last stored record (0 before it wrote, or when it
     * has no writer yet).
     */
    public long lastSeq() throws StoreException {
        String id = writerId();
        if (id == null) {
            return 0;
        }
        return db.read("read the chain position", c -> ChainRows.last(c, id)).seq();
    }

    /** The number of audit records stored, in every writer's chain. */
    public long recordCount() throws StoreException {
        return db.read(
                "count audit records",
                c -> {
                    try (java.sql.Statement s = c.createStatement();
                            java.sql.ResultSet r =
                                    s.executeQuery("SELECT COUNT(*) FROM audit_events")) {
                        r.next();
                        return r.getLong(1);
                    }
                });
    }

    /**
     * Seals the chains of writers that stopped without closing their store (a crash, {@code kill
     * -9}, a failed trail): for each open chain whose writer's lock is free, appends a checkpoint
     * marked {@code "stop":"unclean"} (signed with {@code keys}) after its last stored record and
     * closes it. A writer calls this when it starts; {@link #verifyAll} reports such chains as
     * crashed, not broken. Events that were still queued in the dead writer are lost.
     *
     * @return the chains sealed, with the position of their sealing checkpoint
     * @throws StoreException if the store cannot be read or written
     */
    public List<Recovery> recoverCrashed(AuditKeys keys) throws StoreException {
        return recoverCrashed(keys, Clock.systemUTC());
    }

    /** As {@link #recoverCrashed(AuditKeys)}, with the clock that dates the checkpoints. */
    public List<Recovery> recoverCrashed(AuditKeys keys, Clock clock) throws StoreException {
        Objects.requireNonNull(keys, "keys");
        List<Recovery> out = new ArrayList<>();
        for (ChainRows.Chain ch : db.read("list audit writers", ChainRows::all)) {
            if (!ChainRows.OPEN.equals(ch.state()) || ch.id().equals(writerId())) {
                continue;
            }
            Optional<WriterLocks.Held> lock = locks.claimIfAbandoned(ch.id());
            if (lock.isEmpty()) {
                continue;
            }
            try {
                long seq = ChainRows.sealAbandoned(db, ch.id(), keys, clock.millis());
                if (seq > 0) {
                    out.add(new Recovery(ch.id(), seq));
                }
            } finally {
                lock.get().release();
            }
        }
        return out;
    }

    /**
     * A chain sealed by {@link #recoverCrashed}.
     *
     * @param writer its writer id
     * @param seq the position of the checkpoint that sealed it
     */
    public record Recovery(String writer, long seq) {}

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
     * #trailSink()}): seals its outcome into the chain as a {@code run} record, waits until the
     * trail has stored everything it accepted, then records the run's row, which {@link #verifyAll}
     * checks against that record. A run is reported recorded only when this returns.
     *
     * @throws StoreException if the trail cannot store its records (it failed, or the store is
     *     closed), a run with this id is already recorded, or the write fails
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
        Objects.requireNonNull(trail, "trail");
        trail.acceptOutcome(RunOutcome.of(runId, sessionId, endedAt.toEpochMilli(), outcome));
        try {
            trail.sync();
        } catch (StoreException e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new StoreException(
                    "store "
                            + db.location
                            + ": the run's audit records were not stored: "
                            + e.getMessage(),
                    e);
        }
        return recordRun(runId, outcome, startedAt, endedAt, tenantId, sessionId);
    }

    /**
     * Records a run's outcome.
     *
     * @param runId the run id its events carry ({@link dev.airlock.core.event.Event#runId()})
     * @param outcome what {@link dev.airlock.core.Airlock#run} returned
     * @param startedAt when it started (kept to the millisecond)
     * @param endedAt when it ended (kept to the millisecond; {@link #prune} goes by it)
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
                        sessionId);
        RunRows.insert(db, r);
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

    /** The tenants and their limits. */
    public Tenants tenants() {
        return new Tenants(db);
    }

    /** The API keys. */
    public ApiKeys apiKeys() {
        return new ApiKeys(db);
    }

    /** The tenant's run with this id: empty when there is none or it is another tenant's. */
    public Optional<RunRecord> run(String tenant, String runId) throws StoreException {
        Objects.requireNonNull(tenant, "tenant");
        return run(runId).filter(r -> tenant.equals(r.tenantId()));
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

    /**
     * Verifies the stored trail with {@link AuditVerifier}, from the anchor (the checkpoint kept by
     * the last {@link #prune}, whose signature is checked too) to the last record, in one
     * consistent read. It also checks that the trail still reaches the latest checkpoint ever
     * written (the head), so deleting records from the end is detected, not only edits in the
     * middle; and that every row's {@code hash} column matches its line.
     *
     * <p>An empty new store verifies. Records after the last checkpoint make the result not {@code
     * ok} with a reason saying they are not sealed (see the crash guarantee above); {@code
     * brokenSeq} is then {@code sealedUpTo + 1}. Line numbers in the result count from the anchor.
     *
     * @throws StoreException if the store cannot be read
     */
    public AuditVerifier.Result verify(PublicKey key) throws StoreException {
        return verifyAll(key).summary();
    }

    /**
     * Verifies every writer's chain as {@link #verify} does, tells crashed writers (their tail
     * sealed by {@link #recoverCrashed}, or still unsealed with no live writer) from live ones and
     * from broken chains, and checks every run's stored status, kind, exit code and message against
     * the {@code run} record sealed in its chain.
     *
     * @throws StoreException if the store cannot be read
     */
    public StoreVerification verifyAll(PublicKey key) throws StoreException {
        Objects.requireNonNull(key, "key");
        TrailCheck.Found f = db.read("verify the audit trail", c -> TrailCheck.verify(c, key));
        List<StoreVerification.Writer> writers = new ArrayList<>();
        for (TrailCheck.Checked ch : f.chains()) {
            boolean live =
                    ChainRows.OPEN.equals(ch.chain().state())
                            && (ch.chain().id().equals(writerId()) || locks.alive(ch.chain().id()));
            writers.add(new StoreVerification.Writer(ch.chain().id(), live, ch.result()));
        }
        return new StoreVerification(writers, f.runsChecked(), f.runsUnchecked(), f.faults());
    }

    /**
     * Deletes what is older than {@code olderThan}: the audit records up to and including the last
     * checkpoint written before it (whole checkpoint spans only, so the rest still verifies; that
     * checkpoint becomes the anchor), and the runs that ended before it. All in one transaction.
     *
     * @throws StoreException if the write fails (nothing is then deleted)
     */
    public PruneResult prune(Instant olderThan) throws StoreException {
        return TrailRows.prune(db, olderThan.toEpochMilli());
    }

    /**
     * Deletes the oldest whole checkpoint spans until the stored audit lines take at most {@code
     * maxBytes} (what remains still verifies; the last deleted checkpoint becomes the anchor), and
     * the runs that ended by that checkpoint's time. One transaction.
     *
     * @throws StoreException if the write fails (nothing is then deleted)
     */
    public PruneResult pruneToSize(long maxBytes) throws StoreException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0");
        }
        return TrailRows.pruneToSize(db, maxBytes);
    }

    /**
     * Closes this store's writer chain (when it ends sealed; one that does not is left for {@link
     * #recoverCrashed} to seal as an unclean stop), drops its lock and closes the connection; later
     * calls (and trail appends) throw {@link StoreException}.
     */
    @Override
    public void close() throws StoreException {
        String id;
        WriterLocks.Held lock;
        synchronized (this) {
            id = writer;
            lock = writerLock;
            writerLock = null;
        }
        try {
            if (id != null && lock != null) {
                try {
                    ChainRows.close(db, id);
                } finally {
                    lock.release();
                }
            }
        } finally {
            db.close();
        }
    }

    /**
     * What the death of the process leaves (for tests): the connection and the writer's lock are
     * dropped, the writer's chain is left as it is, open.
     */
    void abandon() throws StoreException {
        WriterLocks.Held lock;
        synchronized (this) {
            lock = writerLock;
            writerLock = null;
        }
        if (lock != null && db.dialect == Db.Dialect.SQLITE) {
            lock.release();
        }
        db.close();
    }

    private static int positive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1: " + limit);
        }
        return limit;
    }
}
