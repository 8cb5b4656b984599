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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open sessions of all tenants. A session is found only by its own tenant (another tenant gets
 * 404); one call at a time runs in a session (a second one gets 409); sessions idle longer than the
 * timeout are closed by {@link #sweep()}. Their snapshots, restores and forks are {@link
 * SessionCopies}'.
 */
final class Sessions implements AutoCloseable {
    private final CodeInterpreter interpreter;
    private final Recorder recorder;
    private final MemoryBudget memory;
    private final Ticker ticker;
    private final Clock clock;
    private final Duration idle;
    private final int maxPerTenant;
    private final Map<String, SessionEntry> open = new ConcurrentHashMap<>();

    /** The shared store's side, or {@code null} when sessions live in this process only. */
    private SessionKeeper keeper;

    Sessions(
            CodeInterpreter interpreter,
            Recorder recorder,
            MemoryBudget memory,
            Ticker ticker,
            Clock clock,
            Duration idle,
            int maxPerTenant) {
        this.interpreter = interpreter;
        this.recorder = recorder;
        this.memory = memory;
        this.ticker = ticker;
        this.clock = clock;
        this.idle = idle;
        this.maxPerTenant = maxPerTenant;
    }

    /** Keeps the sessions in a store that other nodes share; before any session opens. */
    void keepIn(SessionKeeper keeper) {
        this.keeper = keeper;
    }

    /** The keeper given to {@link #keepIn}, or {@code null}. */
    SessionKeeper keeper() {
        return keeper;
    }

    CodeInterpreter interpreter() {
        return interpreter;
    }

    RunCapture newCapture() {
        return recorder.capture();
    }

    MemoryBudget memory() {
        return memory;
    }

    Ticker ticker() {
        return ticker;
    }

    Clock clock() {
        return clock;
    }

    Duration idle() {
        return idle;
    }

    /** A snapshot kept for its session, holding its memory until the session closes. */
    record Snap(String id, Snapshot snapshot, Instant createdAt, MemoryBudget.Reservation held) {}

    /**
     * Opens a session on a worker, holding its memory limit against the budget until it closes;
     * kept in the store too when the server shares one ({@code request}: what it was opened with).
     *
     * @throws ApiException 429 when the tenant has its maximum of sessions open or its memory total
     *     in use, 503 when the server's memory or the workers are full or the store cannot keep it,
     *     400 when the interpreter cannot start under the policy
     */
    SessionEntry open(
            String tenant,
            Language language,
            Policy policy,
            Map<String, byte[]> files,
            Workers workers,
            String request) {
        checkRoom(tenant, " (the most allowed): close one");
        MemoryBudget.Reservation held = memory.reserve(tenant, policy.limits().memoryBytes());
        SessionEntry e;
        try {
            e = workers.run(() -> start(tenant, language, policy, files, held, request));
        } catch (RuntimeException | Error x) {
            held.close();
            throw x;
        }
        return share(e);
    }

    /**
     * Refuses another session of the tenant while it has its maximum open (here, or on a shared
     * store on all nodes).
     *
     * @param more what the message says after the count
     * @throws ApiException 429 naming the tenant and its maximum
     */
    void checkRoom(String tenant, String more) {
        synchronized (this) {
            if ((keeper == null ? count(tenant) : keeper.count(tenant)) >= maxPerTenant) {
                throw ApiException.tooManyRequests(
                        "tenant " + tenant + " has " + maxPerTenant + " sessions open" + more,
                        (idle.toSeconds() + 1));
            }
        }
    }

    /**
     * Adds a session made from another on this node ({@link SessionCopies#fork}), kept in the store
     * too when the server shares one.
     */
    SessionEntry add(SessionEntry e) {
        open.put(e.id(), e);
        return share(e);
    }

    /** Keeps a new session in the shared store, if any; one it cannot keep is dropped here. */
    private SessionEntry share(SessionEntry e) {
        if (keeper != null) {
            try {
                keeper.create(e);
            } catch (RuntimeException x) {
                drop(e);
                throw x;
            }
        }
        return e;
    }

    private SessionEntry start(
            String tenant,
            Language language,
            Policy policy,
            Map<String, byte[]> files,
            MemoryBudget.Reservation held,
            String request) {
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
        SessionEntry e =
                new SessionEntry(
                        this, s.id(), tenant, s, capture, policy, held, request, clock.instant());
        open.put(e.id(), e);
        return e;
    }

    private int count(String tenant) {
        int n = 0;
        for (SessionEntry e : open.values()) {
            if (e.tenant.equals(tenant)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The tenant's session as this node holds it (for an interrupt).
     *
     * @throws ApiException 404 if there is none with this id for this tenant
     */
    SessionEntry get(String tenant, String id) {
        SessionEntry e = id == null ? null : open.get(id);
        if (e == null || !e.tenant.equals(tenant)) {
            throw ApiException.notFound("no session " + id);
        }
        return e;
    }

    /**
     * Takes the tenant's session for one operation: on a shared store, holds it there for this node
     * and brings this node's copy up to the latest saved state. End with {@link #finish}.
     *
     * @throws ApiException 404 if there is none with this id for this tenant, 409 if a call holds
     *     it (here or on another node), 503 if the store cannot be reached
     */
    SessionEntry acquire(String tenant, String id) {
        if (keeper == null) {
            SessionEntry e = get(tenant, id);
            e.lock();
            return e;
        }
        SessionEntry e = id == null ? null : open.get(id);
        if (e == null) {
            e = keeper.placeholder(tenant, id);
            SessionEntry there = open.putIfAbsent(id, e);
            if (there != null) {
                e.release();
                e = there;
            }
        }
        if (!e.tenant.equals(tenant)) {
            throw ApiException.notFound("no session " + id);
        }
        e.lock();
        try {
            keeper.claim(e);
            return e;
        } catch (RuntimeException x) {
            e.unlock();
            throw x;
        }
    }

    /**
     * Ends an operation begun with {@link #acquire}: on a shared store, saves the session's state
     * if it {@code changed} (else only releases it there).
     *
     * @throws ApiException 503 if the new state could not be saved (the session then continues from
     *     its state before this operation)
     */
    void finish(SessionEntry e, boolean changed) {
        try {
            if (keeper != null) {
                keeper.finish(e, changed);
            }
        } finally {
            e.unlock();
        }
    }

    /** Closes this node's copy of a session and gives back its memory; the store keeps it. */
    void drop(SessionEntry e) {
        open.remove(e.id(), e);
        try {
            Session s = e.session;
            if (s != null) {
                s.close();
            }
        } finally {
            e.release();
        }
    }

    /**
     * Stops the session's running call, if it runs on this node.
     *
     * @throws ApiException 404 if there is no such session, 409 if its call runs on another node
     */
    void interrupt(String tenant, String id) {
        SessionEntry e = id == null ? null : open.get(id);
        if (e != null && e.tenant.equals(tenant) && e.lock.isLocked()) {
            Session s = e.session;
            if (s != null) {
                s.interrupt();
            }
            return;
        }
        if (keeper == null) {
            get(tenant, id).session.interrupt();
            return;
        }
        keeper.interruptElsewhere(tenant, id);
    }

    /** Closes this node's copy of a session removed from the store, if it has one idle. */
    void dropIfHere(String id) {
        SessionEntry e = open.get(id);
        if (e != null && e.lock.tryLock()) {
            try {
                drop(e);
            } finally {
                e.lock.unlock();
            }
        }
    }

    /**
     * The tenant's session.
     *
     * @throws ApiException 404
     */
    SessionInfo info(String tenant, String id) {
        return keeper == null ? get(tenant, id).info() : keeper.info(tenant, id);
    }

    /** The tenant's open sessions. */
    List<SessionInfo> list(String tenant) {
        if (keeper != null) {
            return keeper.list(tenant);
        }
        List<SessionInfo> out = new ArrayList<>();
        for (SessionEntry e : open.values()) {
            if (e.tenant.equals(tenant)) {
                out.add(e.info());
            }
        }
        return out;
    }

    /** Closes the tenant's session (here and in the store); 404 if there is none. */
    void close(String tenant, String id) {
        SessionEntry e = id == null ? null : open.get(id);
        if (keeper != null) {
            boolean removed = keeper.delete(tenant, id);
            if (e != null && e.tenant.equals(tenant)) {
                drop(e);
            }
            if (!removed) {
                throw ApiException.notFound("no session " + id);
            }
            return;
        }
        e = get(tenant, id);
        drop(e);
    }

    /**
     * Closes the sessions idle for longer than the timeout; returns how many. On a shared store it
     * removes those idle on every node from the store, and drops this node's copies not used here
     * for a while or changed on another node since (the store keeps them).
     */
    int sweep() {
        long now = ticker.nanos();
        long keep = keeper == null ? idle.toNanos() : keeper.localKeep().toNanos();
        int n = keeper == null ? 0 : keeper.expire();
        for (SessionEntry e : open.values()) {
            if ((keeper != null || now - e.lastUsedNanos >= keep) && e.lock.tryLock()) {
                try {
                    if (ticker.nanos() - e.lastUsedNanos >= keep) {
                        drop(e);
                        n += keeper == null ? 1 : 0;
                    } else if (keeper != null && keeper.stale(e)) {
                        drop(e); // another node changed or closed it since: this copy is no use
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
        for (SessionEntry e : open.values()) {
            try {
                Session s = e.session;
                if (s != null) {
                    s.close();
                }
            } finally {
                e.release();
            }
        }
        open.clear();
    }
}
