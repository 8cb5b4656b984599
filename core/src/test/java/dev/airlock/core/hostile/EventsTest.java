package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Airlock;
import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.Status;
import dev.airlock.core.event.Decision;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.event.LifecycleEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail of a guest that mixes allowed and denied calls: one {@link HostCallEvent} per
 * host call, in order, numbered 1..n with the lifecycle events without gaps, denied calls marked
 * DENY with their rule, every event stamped by the injected clock and tied to the run and module.
 */
class EventsTest {
    private static final Instant NOW = Instant.parse("2024-05-06T07:08:09Z");
    private static final Airlock AIRLOCK =
            Airlock.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

    @TempDir Path dir;

    /** The calls the guest makes, in order, with their expected decision, rule and result. */
    private record Expected(String call, Decision decision, String rule, Long result) {}

    private static final List<Expected> CALLS =
            List.of(
                    new Expected("fd_write", Decision.ALLOW, null, 0L),
                    new Expected("sock_accept", Decision.DENY, "net.sockets", 57L), // ENOTSOCK
                    new Expected("environ_sizes_get", Decision.DENY, "env.none", 0L),
                    new Expected("random_get", Decision.DENY, "random.deny", 76L),
                    new Expected("clock_time_get", Decision.ALLOW, null, 0L),
                    new Expected("path_open", Decision.DENY, "fs.read-only", 69L),
                    new Expected("path_open", Decision.ALLOW, null, 0L),
                    new Expected("proc_raise", Decision.DENY, "process.signal", 58L),
                    new Expected("sched_yield", Decision.ALLOW, null, 0L),
                    new Expected("proc_exit", Decision.ALLOW, null, null));

    private static final byte[] GUEST =
            Hostile.guest(
                    """
                    (data (i32.const 256) "hi\\n")
                    (data (i32.const 300) "f.txt")
                    (func (export "_start")
                      (call $print (i32.const 256) (i32.const 3))
                      (drop (call $sock_accept (i32.const 3) (i32.const 0) (i32.const 512)))
                      (drop (call $environ_sizes_get (i32.const 512) (i32.const 516)))
                      (drop (call $random_get (i32.const 512) (i32.const 16)))
                      (drop (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 512)))
                      ;; create in the read-only mount: denied
                      (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 300)
                                             (i32.const 5) (i32.const 1) (i64.const 64)
                                             (i64.const 0) (i32.const 0) (i32.const 512)))
                      ;; read it: allowed
                      (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 300)
                                             (i32.const 5) (i32.const 0) (i64.const 2)
                                             (i64.const 0) (i32.const 0) (i32.const 512)))
                      (drop (call $proc_raise (i32.const 9)))
                      (drop (call $sched_yield))
                      (call $proc_exit (i32.const 0))
                      unreachable)
                    """);

    private Hostile.Result run() throws IOException {
        Files.writeString(dir.resolve("f.txt"), "file");
        return Hostile.run(
                AIRLOCK,
                GUEST,
                Policy.builder()
                        .mount(new Mount(dir, "/data", Mount.Mode.READ_ONLY))
                        .random(RandomMode.DENY)
                        .build());
    }

    @Test
    void oneEventPerHostCallWithGaplessSequence() throws IOException {
        Hostile.Result r = run();
        Outcome o = r.outcome();
        assertThat(o.status()).isEqualTo(Status.OK);
        assertThat(r.stdout()).isEqualTo("hi\n");

        List<Event> events = r.events();
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).seq()).as("event %d", i).isEqualTo(i + 1);
            assertThat(events.get(i).timeMillis()).isEqualTo(NOW.toEpochMilli());
            assertThat(events.get(i).moduleSha256()).isEqualTo(o.moduleSha256());
        }
        assertThat(events.stream().map(Event::runId).distinct()).hasSize(1);

        // lifecycle: accepted and started before the first call, the outcome last
        assertThat(events.get(0))
                .isInstanceOfSatisfying(
                        LifecycleEvent.class,
                        e -> {
                            assertThat(e.type()).isEqualTo(LifecycleEvent.Type.MODULE_ACCEPTED);
                            assertThat(e.details())
                                    .containsEntry("compiled", true)
                                    .containsKey("limits");
                        });
        assertThat(events.get(1))
                .isInstanceOfSatisfying(
                        LifecycleEvent.class,
                        e -> assertThat(e.type()).isEqualTo(LifecycleEvent.Type.INSTANCE_STARTED));
        LifecycleEvent last = (LifecycleEvent) events.get(events.size() - 1);
        assertThat(last.type()).isEqualTo(LifecycleEvent.Type.OUTCOME);
        assertThat(last.details())
                .containsEntry("status", "ok")
                .containsEntry("exitCode", 0)
                .containsEntry("hostCalls", (long) CALLS.size());
        assertThat(r.lifecycle())
                .containsExactly(
                        LifecycleEvent.Type.MODULE_ACCEPTED,
                        LifecycleEvent.Type.INSTANCE_STARTED,
                        LifecycleEvent.Type.OUTCOME);

        // exactly one event per host call, in the guest's order
        List<HostCallEvent> calls = r.hostCalls();
        assertThat(calls).hasSize(CALLS.size());
        assertThat(o.usage().hostCalls()).isEqualTo(CALLS.size());
        assertThat(events).hasSize(CALLS.size() + 3);
        for (int i = 0; i < CALLS.size(); i++) {
            Expected x = CALLS.get(i);
            HostCallEvent e = calls.get(i);
            assertThat(e.call()).as("call %d", i).isEqualTo("wasi_snapshot_preview1." + x.call());
            assertThat(e.decision()).as("%s", e).isEqualTo(x.decision());
            assertThat(e.rule()).as("%s", e).isEqualTo(x.rule());
            assertThat(e.result()).as("%s", e).isEqualTo(x.result());
            assertThat(e.seq()).isEqualTo(i + 3);
        }

        // denials in the outcome match the DENY events one for one
        assertThat(o.denials().stream().map(d -> d.call() + " " + d.rule()))
                .containsExactlyElementsOf(
                        calls.stream()
                                .filter(e -> e.decision() == Decision.DENY)
                                .map(e -> e.call() + " " + e.rule())
                                .collect(Collectors.toList()));

        // summaries name what the call touched, never whole buffers
        assertThat(calls.get(0).args()).isEqualTo(Map.of("fd", 1, "bytes", 3));
        assertThat(calls.get(5).args()).isEqualTo(Map.of("fd", 3, "path", "f.txt"));
        assertThat(calls.get(6).args()).containsEntry("path", "f.txt").containsKey("newFd");
        assertThat(calls.get(9).args()).isEqualTo(Map.of("code", 0));
    }

    @Test
    void everyRunHasItsOwnRunIdAndSequence() throws IOException {
        Hostile.Result a = run();
        Hostile.Result b = run();
        assertThat(a.events().get(0).runId()).isNotEqualTo(b.events().get(0).runId());
        assertThat(b.events().get(0).seq()).isEqualTo(1);
        assertThat(b.events()).hasSameSizeAs(a.events());
    }

    @Test
    void aLimitAddsLimitHitBeforeTheOutcome() {
        Hostile.Result r =
                Hostile.run(
                        AIRLOCK,
                        Hostile.guest(
                                """
                                (func (export "_start")
                                  (loop $forever
                                    (call $print (i32.const 0) (i32.const 100))
                                    (br $forever)))
                                """),
                        Policy.builder()
                                .limits(Limits.builder().maxOutputBytes(250).build())
                                .build());
        assertThat(r.outcome().kind()).isEqualTo("output");
        List<Event> events = r.events();
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).seq()).isEqualTo(i + 1);
        }
        assertThat(r.lifecycle())
                .containsExactly(
                        LifecycleEvent.Type.MODULE_ACCEPTED,
                        LifecycleEvent.Type.INSTANCE_STARTED,
                        LifecycleEvent.Type.LIMIT_HIT,
                        LifecycleEvent.Type.OUTCOME);
        LifecycleEvent hit = (LifecycleEvent) events.get(events.size() - 2);
        assertThat(hit.details())
                .containsEntry("kind", "output")
                .containsEntry("message", "limit exceeded: output (250B)");
        assertThat(r.hostCalls()).hasSize(3);
        assertThat(r.hostCalls().get(2).result()).isNull();
        assertThat(((LifecycleEvent) events.get(events.size() - 1)).details())
                .containsEntry("status", "limit")
                .containsEntry("kind", "output")
                .containsEntry("hostCalls", 3L);
    }

    @Test
    void aTrapEndsTheTrailWithTheOutcome() {
        Hostile.Result r =
                Hostile.run(
                        AIRLOCK,
                        Hostile.guest(
                                """
                                (func (export "_start")
                                  (drop (call $sched_yield))
                                  unreachable)
                                """),
                        Policy.defaults());
        assertThat(r.events()).hasSize(4);
        assertThat(r.hostCalls()).hasSize(1);
        assertThat(((LifecycleEvent) r.events().get(3)).details())
                .containsEntry("status", "trap")
                .containsEntry("kind", "unreachable")
                .doesNotContainKey("exitCode");
    }
}
