package dev.airlock.audit.store;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.HashChain;
import dev.airlock.audit.SealedBatch;
import dev.airlock.audit.TrailSink;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A store's own writer: its chain (registered on first use, under its lock), the sink that appends
 * to it, and what needs to know which writers are alive (sealing abandoned chains, verifying).
 */
final class StoreWriter {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Db db;
    private final WriterLocks locks;
    private String id;
    private String nodeId;
    private WriterLocks.Held lock;

    final TrailSink sink =
            new TrailSink() {
                @Override
                public void append(SealedBatch batch) throws StoreException {
                    String own = id();
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

    StoreWriter(Db db, WriterLocks locks) {
        this.db = db;
        this.locks = locks;
    }

    /** Names the node whose chain this is; before {@link #chain()}, or it is left unnamed. */
    synchronized void node(String node) {
        if (id != null) {
            throw new IllegalStateException("the writer's chain is registered already");
        }
        this.nodeId = node;
    }

    synchronized String nodeId() {
        return nodeId;
    }

    synchronized String id() {
        return id;
    }

    /** See {@link Store#chain()}. */
    HashChain chain() throws StoreException {
        String own;
        synchronized (this) {
            if (id == null) {
                byte[] b = new byte[8];
                RANDOM.nextBytes(b);
                String fresh = HexFormat.of().formatHex(b);
                WriterLocks.Held held = locks.acquire(fresh);
                try {
                    ChainRows.register(db, fresh, System.currentTimeMillis(), nodeId);
                } catch (StoreException | RuntimeException e) {
                    held.release();
                    throw e;
                }
                id = fresh;
                lock = held;
            }
            own = id;
        }
        ChainRows.Position p = db.read("read the chain position", c -> ChainRows.last(c, own));
        return new HashChain(own, p.hash(), p.seq());
    }

    /** See {@link Store#lastSeq()}. */
    long lastSeq() throws StoreException {
        String own = id();
        if (own == null) {
            return 0;
        }
        return db.read("read the chain position", c -> ChainRows.last(c, own)).seq();
    }

    /** See {@link Store#recoverCrashed(AuditKeys, Clock)}. */
    List<Store.Recovery> recover(AuditKeys keys, Clock clock) throws StoreException {
        List<Store.Recovery> out = new ArrayList<>();
        for (ChainRows.Chain ch : db.read("list audit writers", ChainRows::open)) {
            if (ch.id().equals(id()) || !HashChain.validWriter(ch.id())) {
                continue;
            }
            Optional<WriterLocks.Held> gone = locks.claimIfAbandoned(ch.id());
            if (gone.isEmpty()) {
                continue;
            }
            try {
                long seq = ChainRows.sealAbandoned(db, ch.id(), keys, clock.millis());
                if (seq > 0) {
                    out.add(new Store.Recovery(ch.id(), seq));
                }
            } finally {
                gone.get().release();
            }
        }
        return out;
    }

    /** See {@link Store#verifyAll(PublicKey)}. */
    StoreVerification verify(PublicKey key) throws StoreException {
        return verify(id -> key, false);
    }

    /**
     * Verifies with the signers' keys stored in the store ({@code fromStore}) or the given {@code
     * keys} (by key id; null: unknown).
     */
    StoreVerification verify(java.util.function.Function<String, PublicKey> keys, boolean fromStore)
            throws StoreException {
        TrailCheck.Found f =
                db.read(
                        "verify the audit trail",
                        c -> {
                            java.util.function.Function<String, PublicKey> k =
                                    fromStore ? Signers.all(c)::get : keys;
                            return TrailCheck.verify(c, k);
                        });
        List<StoreVerification.Writer> writers = new ArrayList<>();
        for (TrailCheck.Checked ch : f.chains()) {
            String chain = ch.chain().id();
            boolean live =
                    ChainRows.OPEN.equals(ch.chain().state())
                            && (chain.equals(id())
                                    || HashChain.validWriter(chain) && locks.alive(chain));
            writers.add(new StoreVerification.Writer(chain, live, ch.result()));
        }
        return new StoreVerification(writers, f.runsChecked(), f.runsUnchecked(), f.faults());
    }

    /** Closes the chain when it ends sealed and drops the lock (see {@link Store#close()}). */
    void close() throws StoreException {
        String own;
        WriterLocks.Held held;
        synchronized (this) {
            own = id;
            held = lock;
            lock = null;
        }
        if (own != null && held != null) {
            try {
                ChainRows.close(db, own);
            } finally {
                held.release();
            }
        }
    }

    /** Drops the lock as the death of the process would, leaving the chain open. */
    void abandon() {
        WriterLocks.Held held;
        synchronized (this) {
            held = lock;
            lock = null;
        }
        if (held != null && db.dialect == Db.Dialect.SQLITE) {
            held.release();
        }
    }
}
