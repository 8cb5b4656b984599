package dev.airlock.server.service;

import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Snapshot;
import dev.airlock.lang.Session;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.SnapshotInfo;
import java.util.UUID;

/**
 * The copies of {@link Sessions}' sessions: snapshots, which hold their memory until their session
 * closes (at most so many a session), restores from them, and forks, new sessions that start from
 * another's state. Each works on a session held with {@link Sessions#acquire}; on a shared store
 * the snapshots and forks are kept there too.
 */
final class SessionCopies {
    private final Sessions sessions;
    private final int maxSnapshots;

    SessionCopies(Sessions sessions, int maxSnapshots) {
        this.sessions = sessions;
        this.maxSnapshots = maxSnapshots;
    }

    /**
     * Captures the session (held with {@link Sessions#acquire}). The snapshot holds its memory
     * against the tenant's total and the server's budget until the session closes; on a shared
     * store it is kept there too.
     *
     * @throws ApiException 409 when it already holds its maximum of snapshots, 429 or 503 when its
     *     memory does not fit
     */
    SnapshotInfo snapshot(SessionEntry e) {
        SessionKeeper keeper = sessions.keeper();
        int held;
        synchronized (e.snapshots) {
            held = keeper == null ? e.snapshots.size() : keeper.snapshotCount(e);
        }
        if (held >= maxSnapshots) {
            throw ApiException.conflict(
                    "session "
                            + e.id()
                            + " already holds "
                            + maxSnapshots
                            + " snapshots (the most allowed)");
        }
        Snapshot s = e.session.snapshot();
        // refused: the snapshot is dropped and its memory collected
        MemoryBudget.Reservation reserved = sessions.memory().reserve(e.tenant, s.memoryBytes());
        Sessions.Snap snap =
                new Sessions.Snap(
                        "snap_" + UUID.randomUUID(), s, sessions.clock().instant(), reserved);
        if (keeper != null) {
            try {
                keeper.saveSnapshot(e, snap);
            } catch (RuntimeException x) {
                reserved.close();
                throw x;
            }
        }
        synchronized (e.snapshots) {
            e.snapshots.put(snap.id(), snap);
        }
        if (e.session.isClosed()) {
            e.release(); // closed meanwhile (close does not wait for the lock): give it back
        }
        return new SnapshotInfo(snap.id(), e.id(), snap.createdAt(), s.memoryBytes());
    }

    /**
     * Puts the session (held with {@link Sessions#acquire}) back in one of its snapshots.
     *
     * @throws ApiException 404 if the session has no such snapshot
     */
    void restore(SessionEntry e, String snapshotId) {
        SessionKeeper keeper = sessions.keeper();
        Snapshot snapshot;
        synchronized (e.snapshots) {
            Sessions.Snap snap = snapshotId == null ? null : e.snapshots.get(snapshotId);
            snapshot = snap == null ? null : snap.snapshot();
        }
        if (snapshot == null && keeper != null && snapshotId != null) {
            snapshot = keeper.snapshot(e, snapshotId);
        }
        if (snapshot == null) {
            throw ApiException.notFound("session " + e.id() + " has no snapshot " + snapshotId);
        }
        try {
            e.session.restore(snapshot);
        } catch (ModuleRejectedException x) {
            throw ApiException.conflict("the snapshot cannot be restored: " + x.getMessage());
        }
    }

    /**
     * A new session of the same tenant starting from this one's state (held with {@link
     * Sessions#acquire}), holding memory like a new one.
     *
     * @throws ApiException 429 when the tenant has its maximum of sessions open or its memory total
     *     in use, 503 when the server's memory is
     */
    SessionEntry fork(SessionEntry e) {
        sessions.checkRoom(e.tenant, "");
        MemoryBudget.Reservation held =
                sessions.memory().reserve(e.tenant, e.policy.limits().memoryBytes());
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
        SessionEntry f =
                new SessionEntry(
                        sessions,
                        copy.id(),
                        e.tenant,
                        copy,
                        e.capture,
                        e.policy,
                        held,
                        e.request,
                        sessions.clock().instant());
        return sessions.add(f);
    }
}
