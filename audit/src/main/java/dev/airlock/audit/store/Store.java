package dev.airlock.audit.store;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.AuditVerifier;
import dev.airlock.audit.HashChain;
import dev.airlock.audit.TrailSink;
import dev.airlock.core.Outcome;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * The embedded data store: runs, the sealed audit trail and snapshot metadata, in a SQLite file in
 * the data folder or in a PostgreSQL database. Both offer the same methods and hold the same
 * schema, created and upgraded by versioned migrations when the store is opened.
 *
 * <pre>{@code
 * try (Store store = Store.open(dataDir)) {
 *     store.recoverCrashed(keys); // seal the chains of writers that died
 *     try (AuditTrail trail = new AuditTrail(store.trailSink(), keys, store.chain(), 1000)) {
 *         String[] runId = new String[1]; // the run id comes with the run's events
 *         Instant startedAt = Instant.now();
 *         Outcome o = airlock.run(module, policy, stdio, e -> { runId[0] = e.runId(); trail.accept(e); });
 *         store.recordRun(trail, runId[0], o, startedAt, Instant.now(), null, null);
 *     }
 * }
 * }</pre>
 *
 * <p><b>The audit trail.</b> Every writer (each process that records into the store, and later each
 * server node on one PostgreSQL) writes its own hash chain: {@link #chain()} registers this store's
 * writer under a new id, named in every record and signed by every checkpoint, and takes a lock
 * that the operating system or the database drops when the process dies. {@link #trailSink()}
 * writes each batch an {@link AuditTrail} hands over in one transaction, together with the position
 * of the writer's last checkpoint (its <em>head</em>). Writers never share a chain, so any number
 * may write at once; one trail at a time may write to a writer's chain (a second trail's batch is
 * refused and that trail fails). {@link #recordRun(AuditTrail, String, Outcome, Instant, Instant,
 * String, String)} seals each run's outcome into the chain before its row is written, so that
 * {@link #verifyAll} can check the runs table against the trail. Stores written before schema
 * version 4 keep their single chain as the writer {@code legacy}.
 *
 * <p><b>Crash guarantee.</b> If the process dies at any moment (including {@code kill -9}), the
 * store opens cleanly afterwards and loses no batch whose {@link TrailSink#append} returned; a
 * batch being written is either entirely there or not at all. The writer's chain verifies up to its
 * last stored checkpoint; records after it, written before the checkpoint that would have followed
 * them, are reported by {@link #verifyAll} as a crash (not as tampering): unsealed, with no live
 * writer. The next writer that calls {@link #recoverCrashed} seals them with a checkpoint marked
 * {@code "stop":"unclean"}, after which the chain verifies, reported as recovered from a crash at
 * that checkpoint. Events still queued in the {@link AuditTrail} when the process dies are lost
 * (see its guarantee). With SQLite ({@code synchronous=NORMAL} in WAL mode) a power cut or
 * operating-system crash may also undo the last few commits; the store then still opens and
 * verifies, ending earlier.
 *
 * <p>What verification cannot see: a writer's whole chain removed with its entry, and edits of runs
 * recorded before schema version 4 (their outcomes were not sealed).
 *
 * <p><b>Threads.</b> A store may be used from several threads (the trail's writer among them);
 * operations run one at a time on a single connection. Several processes may open the same store;
 * SQLite writers then wait for each other up to {@value #BUSY_TIMEOUT_MILLIS} ms.
 *
 * <p>Every failure is a {@link StoreException} (an {@link java.io.IOException}) whose message names
 * the store.
 */
public final class Store extends StoreRecords implements AutoCloseable {
    /** The SQLite file in the data folder. */
    public static final String FILE_NAME = "airlock.db";

    /** How long a SQLite writer waits for another process's transaction, in milliseconds. */
    public static final int BUSY_TIMEOUT_MILLIS = Db.BUSY_TIMEOUT_MILLIS;

    /**
     * How long a server node may stay silent ({@link #heartbeat}) before it counts as dead: its
     * holds on sessions and its places in tenants' quotas then stop counting. Nodes beat every few
     * seconds; 15 s.
     */
    public static final long SILENT_NODE_MILLIS = 15_000;

    private final int schemaVersion;

    private Store(Db db, int schemaVersion, WriterLocks locks) {
        super(db, new StoreWriter(db, locks));
        this.schemaVersion = schemaVersion;
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
        return writer.sink;
    }

    /**
     * This store's own writer chain, registered on the first call: a new writer id (16 hex digits,
     * named in every record and checkpoint) whose lock the store holds until it is closed, so that
     * other processes know it is alive. The chain starts empty; later calls return it positioned
     * after its last stored record. One trail at a time may write to it.
     *
     * @throws StoreException if the store cannot be read or written, or the lock not taken
     */
    public HashChain chain() throws StoreException {
        return writer.chain();
    }

    /**
     * Names this process as server node {@code nodeId} and registers its audit key's public half,
     * so that {@link #verifyAll()} verifies its checkpoints from the store alone. Call before
     * {@link #chain()}: the chain, and every run recorded through this store, then names the node.
     *
     * @throws IllegalStateException if the chain is registered already
     * @throws StoreException if another public key is registered under the key's id, or the write
     *     fails
     */
    public void registerNode(String nodeId, AuditKeys keys) throws StoreException {
        Objects.requireNonNull(nodeId, "nodeId");
        Signers.register(db, keys, nodeId, System.currentTimeMillis());
        writer.node(nodeId);
    }

    /** The node named by {@link #registerNode}, or {@code null}. */
    public String nodeId() {
        return writer.nodeId();
    }

    /**
     * Says that server node {@code nodeId} is alive at {@code nowMillis} (see {@link
     * #SILENT_NODE_MILLIS}).
     *
     * @throws StoreException if the store cannot be written
     */
    public void heartbeat(String nodeId, long nowMillis) throws StoreException {
        NodeHeartbeats.beat(db, nodeId, nowMillis);
    }

    /** Interpreter sessions kept here so that any node sharing the store can continue them. */
    public SessionStates sessionStates() {
        return new SessionStates(db);
    }

    /** Tenants' quotas kept in the store, so that they hold across nodes. */
    public RunSlots runSlots() {
        return new RunSlots(db);
    }

    /** This store's writer id, or {@code null} before {@link #chain()}. */
    public String writerId() {
        return writer.id();
    }

    /**
     * The chain position of this store's writer's last stored record (0 before it wrote, or when it
     * has no writer yet).
     */
    public long lastSeq() throws StoreException {
        return writer.lastSeq();
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
        return writer.recover(Objects.requireNonNull(keys, "keys"), clock);
    }

    /**
     * A chain sealed by {@link #recoverCrashed}.
     *
     * @param writer its writer id
     * @param seq the position of the checkpoint that sealed it
     */
    public record Recovery(String writer, long seq) {}

    /** The tenants and their limits. */
    public Tenants tenants() {
        return new Tenants(db);
    }

    /** The API keys. */
    public ApiKeys apiKeys() {
        return new ApiKeys(db);
    }

    /** The installed skills (the skill registry's rows). */
    public InstalledSkills skills() {
        return new InstalledSkills(db);
    }

    /**
     * Verifies every writer's chain with {@link AuditVerifier}, each from its anchor (the
     * checkpoint kept by the last {@link #prune}, whose signature is checked too) to its last
     * record, in one consistent read. It also checks that each chain still reaches the latest
     * checkpoint ever written to it (its head), so deleting records from the end is detected, not
     * only edits in the middle; that every row's {@code hash} column matches its line; and that
     * every run's stored outcome matches the one sealed in its chain. The result is {@link
     * StoreVerification#summary()} of {@link #verifyAll}.
     *
     * <p>An empty new store verifies. Records after a chain's last checkpoint make the result not
     * {@code ok} with a reason saying they are not sealed (see the crash guarantee above; {@link
     * #verifyAll} tells a live writer from a crashed one); {@code brokenSeq} is then {@code
     * sealedUpTo + 1}. Line numbers in the result count from the chain's anchor.
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
        return writer.verify(Objects.requireNonNull(key, "key"));
    }

    /**
     * As {@link #verifyAll(PublicKey)}, checking each checkpoint with the public key registered in
     * the store under the key id it names ({@link #registerNode}): every node's chain, from the
     * store alone. A checkpoint signed by a key not registered fails. This proves the chains intact
     * against edits by anyone who cannot also replace the registered keys: to guard against the
     * database's own administrators, verify with the nodes' public keys kept elsewhere.
     *
     * @throws StoreException if the store cannot be read
     */
    public StoreVerification verifyAll() throws StoreException {
        return writer.verify(null, true);
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
        try {
            writer.close();
        } finally {
            db.close();
        }
    }

    /**
     * What the death of the process leaves (for tests): the connection and the writer's lock are
     * dropped, the writer's chain is left as it is, open.
     */
    void abandon() throws StoreException {
        writer.abandon();
        db.close();
    }
}
