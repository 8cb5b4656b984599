package dev.airlock.server.service;

import dev.airlock.core.event.Event;
import dev.airlock.core.event.EventSink;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.event.LifecycleEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Passes events on to the audit trail and remembers each run's id: that of its latest {@code
 * CALL_STARTED} event when the run is a call into a long-lived instance, else that of its first
 * event. Kept apart per session id, because a session and its forks share one sink; {@link
 * #arm(String)} forgets a session's id before its next call. When runs are traced it also gathers
 * each run's host calls into {@link HostCallBatches}.
 */
final class RunCapture implements EventSink {
    private static final String NO_SESSION = "";

    private final EventSink next;
    private final Map<String, String> first = new ConcurrentHashMap<>();
    private final Map<String, String> call = new ConcurrentHashMap<>();
    private final Map<String, HostCallBatches> batches;

    RunCapture(EventSink next, boolean batch) {
        this.next = next;
        this.batches = batch ? new ConcurrentHashMap<>() : null;
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
        if (batches != null && e instanceof HostCallEvent h) {
            batches.computeIfAbsent(key, k -> new HostCallBatches()).add(h);
        }
        next.accept(e);
    }

    /** Forgets the ids seen so far for this session (null: runs outside sessions). */
    void arm(String sessionId) {
        first.remove(key(sessionId));
        call.remove(key(sessionId));
        if (batches != null) {
            batches.remove(key(sessionId));
        }
    }

    /** The host calls of this session's run (null: outside sessions) since armed; null if none. */
    HostCallBatches takeBatches(String sessionId) {
        return batches == null ? null : batches.remove(key(sessionId));
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
