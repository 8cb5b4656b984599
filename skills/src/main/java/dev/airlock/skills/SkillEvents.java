package dev.airlock.skills;

import dev.airlock.core.event.EventSink;
import dev.airlock.core.event.LifecycleEvent;
import java.util.Map;

/**
 * The event sinks a skill run sends its events through: one that remembers the run's id and when
 * its guest started, and one that adds the skill's identity to the run's outcome event.
 */
final class SkillEvents {
    private SkillEvents() {}

    /**
     * {@code events}, remembering the run's id in {@code runId}: that of its latest {@code
     * CALL_STARTED} event when the run is a call into a long-lived instance (an interpreter), else
     * that of its first event; and in {@code started} when that call or event came.
     */
    static EventSink capturing(
            EventSink events,
            java.util.concurrent.atomic.AtomicReference<String> runId,
            java.util.concurrent.atomic.AtomicLong started) {
        boolean[] call = {false};
        return e -> {
            if (e.runId() != null) {
                if (e instanceof LifecycleEvent l && l.type() == LifecycleEvent.Type.CALL_STARTED) {
                    // an interpreter makes calls of its own (setting the environment) before the
                    // one that runs the skill's code: the latest call is the skill's
                    call[0] = true;
                    runId.set(e.runId());
                    started.set(System.nanoTime());
                } else if (!call[0] && runId.compareAndSet(null, e.runId())) {
                    started.set(System.nanoTime());
                }
            }
            events.accept(e);
        };
    }

    /**
     * {@code events} with the skill's identity (name, version, tool, digest, publisher and key id)
     * added to the details of the run's outcome event, so the audit trail says which signed skill
     * ran.
     */
    static EventSink tagged(EventSink events, Registry.Installed skill, String tool) {
        return tagged(events, skill, tool, Map.of());
    }

    static EventSink tagged(
            EventSink events, Registry.Installed skill, String tool, Map<String, Object> link) {
        if (events == EventSink.none()) {
            return events;
        }
        Map<String, Object> who = new java.util.LinkedHashMap<>(link);
        who.put("skill", skill.entry().name());
        who.put("skillVersion", skill.entry().version());
        who.put("skillTool", tool);
        // "sha256:HEX": a bare hex digest would be hidden from the trail as a possible secret
        who.put("skillDigest", "sha256:" + skill.entry().digest());
        who.put("skillPublisher", skill.entry().publisher());
        who.put("skillKeyId", skill.entry().keyId());
        return e -> {
            if (e instanceof LifecycleEvent l && l.type() == LifecycleEvent.Type.OUTCOME) {
                Map<String, Object> d = new java.util.LinkedHashMap<>(l.details());
                d.putAll(who);
                e =
                        new LifecycleEvent(
                                l.seq(),
                                l.timeMillis(),
                                l.runId(),
                                l.sessionId(),
                                l.moduleSha256(),
                                l.type(),
                                java.util.Collections.unmodifiableMap(d));
            }
            events.accept(e);
        };
    }
}
