package dev.airlock.server.service;

import dev.airlock.audit.store.SessionStates;
import dev.airlock.core.Policy;
import dev.airlock.core.Snapshot;
import dev.airlock.lang.Session;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.SessionInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/** A session with what the server keeps beside it. */
final class SessionEntry {
    private final Sessions owner;
    final String id;
    final String tenant;
    volatile Session session;
    final RunCapture capture;
    final Policy policy;
    final MemoryBudget.Reservation held;
    final Instant createdAt;
    final ReentrantLock lock = new ReentrantLock();
    final Map<String, Sessions.Snap> snapshots = new LinkedHashMap<>();
    volatile long lastUsedNanos;
    volatile Instant lastUsedAt;

    /** Kept in the store only: the request it was opened with (JSON). */
    final String request;

    /** Kept in the store only: the version this node's copy is of (-1: none loaded). */
    long version = -1;

    /** Kept in the store only: what this node knows of its saved chunks. */
    final SessionStates.Memo memo = new SessionStates.Memo();

    /** Kept in the store only: the reset state the store holds. */
    Snapshot savedBase;

    SessionEntry(
            Sessions owner,
            String id,
            String tenant,
            Session session,
            RunCapture capture,
            Policy policy,
            MemoryBudget.Reservation held,
            String request,
            Instant createdAt) {
        this.owner = owner;
        this.id = id;
        this.tenant = tenant;
        this.session = session;
        this.capture = capture;
        this.policy = policy;
        this.held = held;
        this.request = request;
        this.createdAt = createdAt;
        touch();
    }

    String id() {
        return id;
    }

    void touch() {
        lastUsedNanos = owner.ticker().nanos();
        lastUsedAt = owner.clock().instant();
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
                lastUsedAt.plus(owner.idle()),
                snaps);
    }

    /**
     * Takes the session for one operation on this node.
     *
     * @throws ApiException 409 if another call holds it
     */
    void lock() {
        if (!lock.tryLock()) {
            throw ApiException.conflict("session " + id() + " is busy with another call");
        }
        Session s = session;
        if (s != null && s.isClosed()) {
            lock.unlock();
            owner.drop(this);
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
