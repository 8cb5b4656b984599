package dev.airlock.server.service;

import dev.airlock.audit.store.SessionStates;
import dev.airlock.audit.store.StoreException;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.lang.Language;
import dev.airlock.lang.Session;
import dev.airlock.server.api.ApiException;

/**
 * Loads a session's latest saved state from the store shared by the server nodes into this node's
 * copy, for {@link SessionKeeper}: the interpreter session resumed from it, and the copy's
 * snapshots let go (they are taken from the store when restored).
 */
final class SessionLoader {
    private final Sessions sessions;
    private final SessionStates states;

    SessionLoader(Sessions sessions, SessionStates states) {
        this.sessions = sessions;
        this.states = states;
    }

    /**
     * Replaces the copy's session with one resumed from the store's state.
     *
     * @throws ApiException 404 if the store no longer holds the session, 409 if it cannot continue
     *     on this node, 503 if the store failed
     */
    void load(SessionEntry e) {
        SessionStates.Loaded l;
        try {
            l = states.load(e.id(), e.memo).orElse(null);
        } catch (StoreException x) {
            throw SessionKeeper.unreachable("cannot load session " + e.id(), x);
        }
        if (l == null) {
            sessions.drop(e);
            throw ApiException.notFound("no session " + e.id());
        }
        Session s;
        try {
            s =
                    sessions.interpreter()
                            .resumeSession(
                                    e.id(),
                                    Language.parse(l.row().language()),
                                    e.policy,
                                    e.capture,
                                    l.state(),
                                    l.base(),
                                    l.row().runs());
        } catch (ModuleRejectedException | IllegalArgumentException x) {
            throw ApiException.conflict(
                    "session " + e.id() + " cannot continue on this node: " + x.getMessage());
        }
        Session old = e.session;
        e.session = s;
        if (old != null) {
            old.close();
        }
        e.version = l.row().version();
        e.savedBase = l.base();
        synchronized (e.snapshots) {
            e.snapshots.values().forEach(snap -> snap.held().close());
            e.snapshots.clear(); // taken from the store when restored
        }
    }
}
