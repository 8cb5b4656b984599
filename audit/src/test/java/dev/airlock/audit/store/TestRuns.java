package dev.airlock.audit.store;

import dev.airlock.core.Denial;
import dev.airlock.core.Outcome;
import dev.airlock.core.Status;
import dev.airlock.core.Usage;
import dev.airlock.core.event.Decision;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.EventSink;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.event.LifecycleEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Guests and synthetic runs for the store tests. */
final class TestRuns {
    /** Writes "hi" 20 times and tries a socket (denied by the default policy). */
    static final String GUEST =
            "(module (import \"wasi_snapshot_preview1\" \"fd_write\""
                    + " (func $w (param i32 i32 i32 i32) (result i32)))"
                    + " (import \"wasi_snapshot_preview1\" \"sock_accept\""
                    + " (func $a (param i32 i32 i32) (result i32)))"
                    + " (memory 1) (data (i32.const 16) \"hi\\n\")"
                    + " (func (export \"_start\") (local $i i32)"
                    + "  (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 3))"
                    + "  (drop (call $a (i32.const 3) (i32.const 0) (i32.const 8)))"
                    + "  (loop $l (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))"
                    + "   (local.set $i (i32.add (local.get $i) (i32.const 1)))"
                    + "   (br_if $l (i32.lt_u (local.get $i) (i32.const 20))))))";

    static final String MODULE = "ab".repeat(32);

    private TestRuns() {}

    /**
     * Emits a run's events at {@code time}: accepted, started, {@code calls} host calls (the first
     * denied), outcome. Returns its id.
     */
    static String synthesize(EventSink sink, long time, int calls) {
        String run = UUID.randomUUID().toString();
        long seq = 0;
        sink.accept(lifecycle(++seq, time, run, LifecycleEvent.Type.MODULE_ACCEPTED));
        sink.accept(lifecycle(++seq, time, run, LifecycleEvent.Type.INSTANCE_STARTED));
        for (int i = 0; i < calls; i++) {
            boolean deny = i == 0;
            sink.accept(
                    new HostCallEvent(
                            ++seq,
                            time,
                            run,
                            MODULE,
                            deny
                                    ? "wasi_snapshot_preview1.sock_accept"
                                    : "wasi_snapshot_preview1.fd_write",
                            Map.of("fd", deny ? 3 : 1),
                            deny ? Decision.DENY : Decision.ALLOW,
                            deny ? "net.sockets" : null,
                            deny ? 76L : 0L,
                            1000));
        }
        sink.accept(lifecycle(++seq, time, run, LifecycleEvent.Type.OUTCOME));
        return run;
    }

    private static Event lifecycle(long seq, long time, String run, LifecycleEvent.Type t) {
        return new LifecycleEvent(seq, time, run, MODULE, t, Map.of("status", "ok"));
    }

    /** An outcome like the synthetic run's. */
    static Outcome outcome(int calls) {
        return new Outcome(
                Status.EXIT,
                3,
                null,
                "exited with code 3",
                new Usage(12, 65536, 20, 0, calls),
                List.of(
                        new Denial(
                                "wasi_snapshot_preview1.sock_accept",
                                "net.sockets",
                                "sockets are off")),
                MODULE);
    }

    /** Forwards events and remembers the run id of the last one. */
    static final class RunIds implements EventSink {
        final EventSink target;
        volatile String last;

        RunIds(EventSink target) {
            this.target = target;
        }

        @Override
        public void accept(Event event) {
            last = event.runId();
            target.accept(event);
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        volatile long millis;

        MutableClock(long millis) {
            this.millis = millis;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }
}
