package dev.airlock.server.service;

import dev.airlock.audit.store.SessionSnapshots;
import dev.airlock.audit.store.SessionStates;
import dev.airlock.audit.store.StoreException;
import dev.airlock.core.Policy;
import dev.airlock.core.Snapshot;
import dev.airlock.lang.Session;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.SessionInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The side of {@link Sessions} that keeps them in a store shared by several server nodes, so that a
 * request for a session may reach any node, and a session outlives the node that opened it.
 *
 * <p>The store holds each session's state (interpreter memory as deduplicated chunks, globals,
 * files), its reset state and its snapshots, with a version. Every operation holds the session in
 * the store for this node (another node's operation gets 409 until it ends, or until its hold's
 * deadline: the session's time limit plus 30 s, when that node died), loads the latest saved state
 * if this node's copy is older, and when it changed the session saves the new state before it
 * answers. So an answered call is never lost; a call under way when its node dies is, and the
 * session continues from the state before it. A node keeps its copy for 30 s after its last use
 * there (less once another node changed the session), so a client that keeps to one node pays no
 * load; the copy counts against the tenant's memory total on that node as a session does.
 */
final class SessionKeeper {
    private static final Duration LOCAL_KEEP = Duration.ofSeconds(30);
    private static final Duration HOLD_MARGIN = Duration.ofSeconds(30);
    private static final Duration COLLECT_EVERY = Duration.ofMinutes(10);

    private final Sessions sessions;
    private final SessionStates states;
    private final String node;
    private final BiFunction<String, String, Policy> policies;
    private final Clock clock;
    private final SessionLoader loader;
    private volatile long lastCollect;

    /**
     * @param policies a session's policy from its tenant and the request it was opened with (as on
     *     the node that opened it)
     */
    SessionKeeper(
            Sessions sessions,
            SessionStates states,
            String node,
            BiFunction<String, String, Policy> policies) {
        this.sessions = sessions;
        this.states = states;
        this.node = node;
        this.policies = policies;
        this.clock = sessions.clock();
        this.loader = new SessionLoader(sessions, states);
        this.lastCollect = clock.millis();
    }

    /**
     * A 503 for the client, which names what failed but not the store (its address and the driver's
     * words go to the server log).
     */
    static ApiException unreachable(String what, StoreException e) {
        System.getLogger("airlock.server")
                .log(System.Logger.Level.WARNING, what + ": " + e.getMessage());
        return ApiException.unavailable(what + ": the session store failed", 5);
    }

    int count(String tenant) {
        try {
            return states.rows(tenant).size();
        } catch (StoreException e) {
            throw unreachable("cannot count the tenant's sessions", e);
        }
    }

    /** Saves a session this node just opened (or forked). */
    void create(SessionEntry e) {
        Session s = e.session;
        long now = clock.millis();
        try {
            states.create(
                    new SessionStates.Row(
                            e.id(),
                            e.tenant,
                            s.language().id(),
                            e.request,
                            e.createdAt.toEpochMilli(),
                            now,
                            1,
                            s.runs(),
                            node,
                            null,
                            0),
                    s.state(),
                    s.base(),
                    e.memo,
                    now);
        } catch (StoreException x) {
            throw unreachable("cannot keep the new session", x);
        }
        e.version = 1;
        e.savedBase = s.base();
    }

    /** This node's empty copy of a session it has not loaded yet. */
    SessionEntry placeholder(String tenant, String id) {
        SessionStates.Row row;
        try {
            row = states.row(id).filter(r -> r.tenant().equals(tenant)).orElse(null);
        } catch (StoreException x) {
            throw unreachable("cannot find session " + id, x);
        }
        if (row == null) {
            throw ApiException.notFound("no session " + id);
        }
        Policy policy;
        try {
            policy = policies.apply(tenant, row.request());
        } catch (ApiException x) {
            throw ApiException.conflict(
                    "session " + id + " cannot continue on this node: " + x.getMessage());
        }
        return new SessionEntry(
                sessions,
                id,
                tenant,
                null,
                sessions.newCapture(),
                policy,
                sessions.memory().reserve(tenant, policy.limits().memoryBytes()),
                row.request(),
                Instant.ofEpochMilli(row.createdAt()));
    }

    /**
     * Holds the session for this node and brings its copy up to date; see {@link Sessions#acquire}.
     */
    void claim(SessionEntry e) {
        long now = clock.millis();
        Duration limit = e.policy.limits().timeout();
        long until = now + (limit == null ? 0 : limit.toMillis()) + HOLD_MARGIN.toMillis();
        SessionStates.Claim c;
        try {
            c = states.claim(e.id(), e.tenant, node, now, until);
        } catch (StoreException x) {
            throw unreachable("cannot hold session " + e.id(), x);
        }
        if (c instanceof SessionStates.Missing) {
            sessions.drop(e);
            throw ApiException.notFound("no session " + e.id());
        }
        if (c instanceof SessionStates.Busy b) {
            throw ApiException.conflict(
                    "session " + e.id() + " is busy with another call (on node " + b.node() + ")");
        }
        SessionStates.Row row = ((SessionStates.Claimed) c).row();
        if (row.version() == e.version && e.session != null && !e.session.isClosed()) {
            return;
        }
        try {
            loader.load(e);
        } catch (RuntimeException x) {
            release(e);
            throw x;
        }
    }

    private void release(SessionEntry e) {
        try {
            states.release(e.id(), node, clock.millis());
        } catch (StoreException x) {
            // its hold ends at its deadline
        }
    }

    /** Saves the session if it changed, else releases it; see {@link Sessions#finish}. */
    void finish(SessionEntry e, boolean changed) {
        Session s = e.session;
        if (!changed || s == null) {
            release(e);
            return;
        }
        if (s.isClosed()) { // a stopped call whose reset failed closes the session
            try {
                states.delete(e.id());
            } catch (StoreException x) {
                // the idle sweep removes it
            }
            sessions.drop(e);
            return;
        }
        Snapshot base = s.base();
        Optional<Long> saved;
        try {
            saved =
                    states.save(
                            e.id(),
                            e.version,
                            s.runs(),
                            node,
                            clock.millis(),
                            s.state(),
                            base,
                            base != e.savedBase,
                            e.memo);
        } catch (StoreException x) {
            e.version = -1; // the next operation loads what the store holds
            release(e);
            throw unreachable(
                    "session "
                            + e.id()
                            + " ran, but its new state was not kept; it continues from its state"
                            + " before this call",
                    x);
        }
        if (saved.isEmpty()) {
            e.version = -1;
            throw ApiException.conflict(
                    "session "
                            + e.id()
                            + " was changed or closed on another node while this call held it"
                            + " past its deadline; this call's changes are not kept");
        }
        e.version = saved.get();
        e.savedBase = base;
    }

    SessionInfo info(String tenant, String id) {
        try {
            SessionStates.Row r =
                    states.row(id).filter(x -> x.tenant().equals(tenant)).orElse(null);
            if (r == null) {
                throw ApiException.notFound("no session " + id);
            }
            return info(r);
        } catch (StoreException x) {
            throw unreachable("cannot read session " + id, x);
        }
    }

    private SessionInfo info(SessionStates.Row r) throws StoreException {
        List<String> snaps = new ArrayList<>();
        for (SessionSnapshots.SnapshotRow s : states.snapshots().list(r.sessionId())) {
            snaps.add(s.snapshotId());
        }
        Instant used = Instant.ofEpochMilli(r.lastUsedAt());
        return new SessionInfo(
                r.sessionId(),
                r.language(),
                Instant.ofEpochMilli(r.createdAt()),
                used,
                used.plus(sessions.idle()),
                snaps);
    }

    List<SessionInfo> list(String tenant) {
        try {
            List<SessionInfo> out = new ArrayList<>();
            for (SessionStates.Row r : states.rows(tenant)) {
                out.add(info(r));
            }
            return out;
        } catch (StoreException x) {
            throw unreachable("cannot list the tenant's sessions", x);
        }
    }

    int snapshotCount(SessionEntry e) {
        try {
            return states.snapshots().list(e.id()).size();
        } catch (StoreException x) {
            throw unreachable("cannot count the session's snapshots", x);
        }
    }

    void saveSnapshot(SessionEntry e, Sessions.Snap snap) {
        try {
            states.snapshots()
                    .save(
                            snap.id(),
                            e.id(),
                            snap.createdAt().toEpochMilli(),
                            snap.snapshot(),
                            e.memo);
        } catch (StoreException x) {
            throw unreachable("cannot keep the snapshot", x);
        }
    }

    /** One of the session's snapshots from the store, or {@code null}. */
    Snapshot snapshot(SessionEntry e, String snapshotId) {
        try {
            return states.snapshots().load(e.id(), snapshotId, e.memo).orElse(null);
        } catch (StoreException x) {
            throw unreachable("cannot load snapshot " + snapshotId, x);
        }
    }

    /**
     * An interrupt for a session whose call (if any) is not on this node.
     *
     * @throws ApiException 404 if there is no such session, 409 if another node runs a call in it
     *     (an interrupt reaches only the node running the call)
     */
    void interruptElsewhere(String tenant, String id) {
        SessionStates.Row r;
        try {
            r = states.row(id).filter(x -> x.tenant().equals(tenant)).orElse(null);
        } catch (StoreException x) {
            throw unreachable("cannot find session " + id, x);
        }
        if (r == null) {
            throw ApiException.notFound("no session " + id);
        }
        if (r.busyNode() != null && !r.busyNode().equals(node) && r.busyUntil() > clock.millis()) {
            throw ApiException.conflict(
                    "session "
                            + id
                            + " runs a call on node "
                            + r.busyNode()
                            + "; an interrupt reaches only the node running the call");
        }
    }

    /** Removes the tenant's session from the store; whether there was one. */
    boolean delete(String tenant, String id) {
        try {
            Optional<SessionStates.Row> r = states.row(id);
            return r.isPresent() && r.get().tenant().equals(tenant) && states.delete(id);
        } catch (StoreException x) {
            throw unreachable("cannot close session " + id, x);
        }
    }

    /**
     * Removes the sessions idle on every node from the store (and this node's copies of them), and
     * now and then the chunks no session uses any more; how many sessions.
     */
    int expire() {
        long now = clock.millis();
        List<String> gone;
        try {
            gone = states.expire(now - sessions.idle().toMillis(), now);
            if (now - lastCollect >= COLLECT_EVERY.toMillis()) {
                lastCollect = now;
                states.collectChunks(now - COLLECT_EVERY.toMillis());
            }
        } catch (StoreException x) {
            throw new IllegalStateException("idle sessions: " + x.getMessage(), x);
        }
        for (String id : gone) {
            sessions.dropIfHere(id);
        }
        return gone.size();
    }

    /** Whether this node's copy of a session is older than the store's, or the store has none. */
    boolean stale(SessionEntry e) {
        try {
            Optional<SessionStates.Row> r = states.row(e.id());
            return e.session == null || r.isEmpty() || r.get().version() != e.version;
        } catch (StoreException x) {
            return false; // the next sweep looks again
        }
    }

    /** How long this node keeps its copy of a session after using it. */
    Duration localKeep() {
        return sessions.idle().compareTo(LOCAL_KEEP) < 0 ? sessions.idle() : LOCAL_KEEP;
    }
}
