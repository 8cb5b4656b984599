package dev.airlock.core.event;

/**
 * Something that happened during a run, in the order it happened. Every guest-to-host call yields
 * one {@link HostCallEvent}; lifecycle steps yield {@link LifecycleEvent}s. The audit trail is
 * built from these.
 */
public sealed interface Event permits HostCallEvent, LifecycleEvent {
    /** Position in the run, starting at 1, without gaps. */
    long seq();

    /** Wall-clock time of the event, milliseconds since the epoch (from the injected clock). */
    long timeMillis();

    /** The run this event belongs to. */
    String runId();

    /** The session the run belongs to, or {@code null} for a run outside sessions. */
    String sessionId();

    /** Hex SHA-256 of the guest module. */
    String moduleSha256();
}
