package dev.airlock.server.service;

import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Policy;
import dev.airlock.core.Snapshot;
import dev.airlock.core.time.Ticker;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.lang.Language;
import dev.airlock.lang.Session;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.SessionInfo;
import dev.airlock.server.api.SnapshotInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The open sessions of all tenants. A session is found only by its own tenant (another tenant gets
 * 404); one call at a time runs in a session (a second one gets 409); sessions idle longer than the
 * timeout are closed by {@link #sweep()}.
 */
final class Sessions implements AutoCloseable {
    private final CodeInterpreter interpreter;
    private final Recorder recorder;
    private final MemoryBudget memory;
    private final Ticker ticker;
    private final Clock clock;
    private final Duration idle;
    private final int maxPerTenant;
    private final int maxSnapshots;
    private final Map<String, Entry> open = new ConcurrentHashMap<>();

    Sessions(
            CodeInterpreter interpreter,
            Recorder recorder,
            MemoryBudget memory,
            Ticker ticker,
            Clock clock,
            Duration idle,
            int maxPerTenant,
            int maxSnapshots) {
        this.interpreter = interpreter;
        this.recorder = recorder;
        this.memory = memory;
        this.ticker = ticker;
        this.clock = clock;
        this.idle = idle;
        this.maxPerTenant = maxPerTenant;
        this.maxSnapshots = maxSnapshots;
    }

    /** A session with what the server keeps beside it. */
    final class Entry {
        final String tenant;
        final Session session;
        final RunCapture capture;
        final Policy policy;
        final MemoryBudget.Reservation held;
        final Instant createdAt;
        final ReentrantLock lock = new ReentrantLock();
        final Map<String, Snap> snapshots = new LinkedHashMap<>();
        volatile long lastUsedNanos;
        volatile Instant lastUsedAt;

        Entry(
                String tenant,
                Session session,
                RunCapture capture,
                Policy policy,
                MemoryBudget.Reservation held) {
            this.tenant = tenant;
            this.session = session;
            this.capture = capture;
            this.policy = policy;
            this.held = held;
            this.createdAt = clock.instant();
            touch();
        }

        String id() {
            return session.id();
        }

        void touch() {
            lastUsedNanos = ticker.nanos();
            lastUsedAt = clock.instant();
        }

        SessionInfo info() {
            List<String> snaps;
            synchronized (snapshots) {
                snaps = new ArrayList<>(snapshots.keySet());
            }
            return new SessionInfo(
                    id(),
                    session.language().id(),
                    createdAt,
                    lastUsedAt,
                    lastUsedAt.plus(idle),
                    snaps);
        }

        /**
         * Takes the session for one operation.
         *
         * @throws ApiException 409 if another call holds it
         */
        void lock() {
            if (!lock.tryLock()) {
                throw ApiException.conflict("session " + id() + " is busy with another call");
            }
            if (session.isClosed()) {
                lock.unlock();
                open.remove(id(), this);
                release();
                throw ApiException.notFound("no session " + id());
            }
        }

        void unlock() {
            touch();
            lock.unlock();
        }

        /** Gives back the memory of the session and of its snapshots; idempotent. */
        void release() {
            held.close();
            synchronized (snapshots) {
                snapshots.values().forEach(s -> s.held().close());
            }
        }
    }

    /** A snapshot kept for its session, holding its memory until the session closes. */
    record Snap(String id, Snapshot snapshot, Instant createdAt, MemoryBudget.Reservation held) {}

    /**
     * Opens a session on a worker, holding its memory limit against the budget until it closes.
     *
     * @throws ApiException 429 when the tenant has its maximum of sessions open or its memory total
     *     in use, 503 when the server's memory or the workers are full, 400 when the interpreter
     *     cannot start under the policy
     */
    Entry open(
            String tenant,
            Language language,
            Policy policy,
            Map<String, byte[]> files,
            Workers workers) {
        synchronized (this) {
            if (count(tenant) >= maxPerTenant) {
                throw ApiException.tooManyRequests(
                        "tenant "
                                + tenant
                                + " has "
                                + maxPerTenant
                                + " sessions open (the most allowed): close one",
                        (idle.toSeconds() + 1));
            }
        }
        MemoryBudget.Reservation held = memory.reserve(tenant, policy.limits().memoryBytes());
        try {
            return workers.run(() -> start(tenant, language, policy, files, held));
        } catch (RuntimeException | Error e) {
            held.close();
            throw e;
        }
    }

    private Entry start(
            String tenant,
            Language language,
            Policy policy,
            Map<String, byte[]> files,
            MemoryBudget.Reservation held) {
        RunCapture capture = recorder.capture();
        Session s;
        try {
            s = interpreter.openSession(language, policy, capture);
        } catch (ModuleRejectedException e) {
            throw ApiException.badRequest("the interpreter cannot start: " + e.getMessage());
        }
        try {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                s.upload(f.getKey(), f.getValue());
            }
        } catch (java.io.IOException | RuntimeException e) {
            s.close();
            throw ApiException.badRequest("cannot write the files: " + e.getMessage());
        }
        Entry e = new Entry(tenant, s, capture, policy, held);
        open.put(e.id(), e);
        return e;
    }

    private int count(String tenant) {
        int n = 0;
        for (Entry e : open.values()) {
            if (e.tenant.equals(tenant)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The tenant's session.
     *
     * @throws ApiException 404 if there is none with this id for this tenant
     */
    Entry get(String tenant, String id) {
        Entry e = id == null ? null : open.get(id);
        if (e == null || !e.tenant.equals(tenant)) {
            throw ApiException.notFound("no session " + id);
        }
        return e;
    }

    /** The tenant's open sessions. */
    List<SessionInfo> list(String tenant) {
        List<SessionInfo> out = new ArrayList<>();
        for (Entry e : open.values()) {
            if (e.tenant.equals(tenant)) {
                out.add(e.info());
            }
        }
        return out;
    }

    /**
     * Captures the session. The snapshot holds its memory against the tenant's total and the
     * server's budget until the session closes.
     *
     * @throws ApiException 409 when it already holds its maximum of snapshots, 429 or 503 when its
     *     memory does not fit
     */
    SnapshotInfo snapshot(Entry e) {
        synchronized (e.snapshots) {
            if (e.snapshots.size() >= maxSnapshots) {
                throw ApiException.conflict(
                        "session "
                                + e.id()
                                + " already holds "
                                + maxSnapshots
                                + " snapshots (the most allowed)");
            }
        }
        Snapshot s = e.session.snapshot();
        // refused: the snapshot is dropped and its memory collected
        MemoryBudget.Reservation held = memory.reserve(e.tenant, s.memoryBytes());
        Snap snap = new Snap("snap_" + UUID.randomUUID(), s, clock.instant(), held);
        synchronized (e.snapshots) {
            e.snapshots.put(snap.id(), snap);
        }
        if (e.session.isClosed()) {
            e.release(); // closed meanwhile (close does not wait for the lock): give it back
        }
        return new SnapshotInfo(snap.id(), e.id(), snap.createdAt(), s.memoryBytes());
    }

    /**
     * Puts the session back in one of its snapshots.
     *
     * @throws ApiException 404 if the session has no such snapshot
     */
    void restore(Entry e, String snapshotId) {
        Snap snap;
        synchronized (e.snapshots) {
            snap = snapshotId == null ? null : e.snapshots.get(snapshotId);
        }
        if (snap == null) {
            throw ApiException.notFound("session " + e.id() + " has no snapshot " + snapshotId);
        }
        try {
            e.session.restore(snap.snapshot());
        } catch (ModuleRejectedException x) {
            throw ApiException.conflict("the snapshot cannot be restored: " + x.getMessage());
        }
    }

    /**
     * A new session of the same tenant starting from this one's state, holding memory like a new
     * one.
     *
     * @throws ApiException 429 when the tenant has its maximum of sessions open or its memory total
     *     in use, 503 when the server's memory is
     */
    Entry fork(Entry e) {
        synchronized (this) {
            if (count(e.tenant) >= maxPerTenant) {
                throw ApiException.tooManyRequests(
                        "tenant " + e.tenant + " has " + maxPerTenant + " sessions open",
                        idle.toSeconds() + 1);
            }
        }
        MemoryBudget.Reservation held = memory.reserve(e.tenant, e.policy.limits().memoryBytes());
        Session copy;
        try {
            copy = e.session.fork();
        } catch (ModuleRejectedException x) {
            held.close();
            throw ApiException.conflict("the session cannot be forked: " + x.getMessage());
        } catch (RuntimeException | Error x) {
            held.close();
            throw x;
        }
        Entry f = new Entry(e.tenant, copy, e.capture, e.policy, held);
        open.put(f.id(), f);
        return f;
    }

    /** Closes the tenant's session; 404 if there is none. */
    void close(String tenant, String id) {
        Entry e = get(tenant, id);
        open.remove(id, e);
        try {
            e.session.close();
        } finally {
            e.release();
        }
    }

    /** Closes the sessions idle for longer than the timeout; returns how many. */
    int sweep() {
        long now = ticker.nanos();
        int n = 0;
        for (Entry e : open.values()) {
            if (now - e.lastUsedNanos >= idle.toNanos() && e.lock.tryLock()) {
                try {
                    if (ticker.nanos() - e.lastUsedNanos >= idle.toNanos()) {
                        open.remove(e.id(), e);
                        try {
                            e.session.close();
                        } finally {
                            e.release();
                        }
                        n++;
                    }
                } finally {
                    e.lock.unlock();
                }
            }
        }
        return n;
    }

    int size() {
        return open.size();
    }

    @Override
    public void close() {
        for (Entry e : open.values()) {
            try {
                e.session.close();
            } finally {
                e.release();
            }
        }
        open.clear();
    }
}
