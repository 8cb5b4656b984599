package dev.airlock.server.service;

import dev.airlock.core.event.Event;
import dev.airlock.core.event.EventSink;
import dev.airlock.core.event.LifecycleEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Passes events on to the audit trail and remembers each run's id: that of its latest {@code
 * CALL_STARTED} event when the run is a call into a long-lived instance, else that of its first
 * event. Kept apart per session id, because a session and its forks share one sink; {@link
 * #arm(String)} forgets a session's id before its next call.
 */
final class RunCapture implements EventSink {
    private static final String NO_SESSION = "";

    private final EventSink next;
    private final Map<String, String> first = new ConcurrentHashMap<>();
    private final Map<String, String> call = new ConcurrentHashMap<>();

    RunCapture(EventSink next) {
        this.next = next;
    }

    @Override
    public void accept(Event e) {
        String key = key(e.sessionId());
        first.putIfAbsent(key, e.runId());
        if (e instanceof LifecycleEvent l && l.type() == LifecycleEvent.Type.CALL_STARTED) {
            // the latest call: an interpreter calls its driver (setting the environment) before
            // the call that runs the guest's code, which is the run
            call.put(key, e.runId());
        }
        next.accept(e);
    }

    /** Forgets the ids seen so far for this session (null: runs outside sessions). */
    void arm(String sessionId) {
        first.remove(key(sessionId));
        call.remove(key(sessionId));
    }

    /** The id of the latest armed run of this session (null: outside sessions), or null. */
    String runId(String sessionId) {
        String c = call.get(key(sessionId));
        return c != null ? c : first.get(key(sessionId));
    }

    private static String key(String sessionId) {
        return sessionId == null ? NO_SESSION : sessionId;
    }
}
