package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.engine.run.StopGate;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.event.LifecycleEvent;
import dev.airlock.core.testing.Guests;
import dev.airlock.core.time.FakeTicker;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guests that never end by themselves. The wall-clock limit is driven by a {@link FakeTicker}: the
 * test waits until the guest is demonstrably busy, then advances the ticker past the timeout until
 * the run returns; nothing sleeps.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimeLimitTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Policy POLICY =
            Policy.builder().limits(Limits.builder().timeout(TIMEOUT).build()).build();

    private FakeTicker ticker;
    private volatile Thread guestThread;
    private Airlock airlock;
    private Airlock interpreter;

    @BeforeEach
    void setUp() {
        ticker = new FakeTicker();
        airlock = Airlock.builder().ticker(ticker).build();
        interpreter = Airlock.builder().ticker(ticker).compile(false).build();
    }

    /** What a run gave, with the events it emitted. */
    private record Stopped(Outcome outcome, String stdout, List<Event> events) {}

    /**
     * Runs the guest on another thread; once {@code busy} has seen an event that shows the guest is
     * in its endless part (and {@code ready} holds), advances the fake ticker until the run ends.
     */
    private Stopped runUntilStopped(
            Airlock a, byte[] wasm, Predicate<List<Event>> busy, Runnable ready) throws Exception {
        GuestModule m = a.load(wasm);
        List<Event> events = new CopyOnWriteArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Outcome> f =
                CompletableFuture.supplyAsync(
                        () ->
                                a.run(
                                        m,
                                        POLICY,
                                        Stdio.of(out, OutputStream.nullOutputStream()),
                                        e -> {
                                            if (e instanceof HostCallEvent) {
                                                guestThread = Thread.currentThread();
                                            }
                                            events.add(e);
                                        }));
        while (!busy.test(events) && !f.isDone()) {
            Thread.onSpinWait();
        }
        ready.run();
        assertThat(f).as("the guest ended before the timeout").isNotDone();
        while (!f.isDone()) {
            ticker.advance(Duration.ofSeconds(1));
            try {
                f.get(5, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                // advance again
            }
        }
        return new Stopped(f.get(), out.toString(StandardCharsets.UTF_8), events);
    }

    private static boolean started(List<Event> events) {
        return events.stream()
                .anyMatch(
                        e ->
                                e instanceof LifecycleEvent
                                        && ((LifecycleEvent) e).type()
                                                == LifecycleEvent.Type.INSTANCE_STARTED);
    }

    private static long hostCalls(List<Event> events) {
        return events.stream().filter(e -> e instanceof HostCallEvent).count();
    }

    private static void assertTimeLimit(Outcome o) {
        assertThat(o.status()).isEqualTo(Status.LIMIT);
        assertThat(o.kind()).isEqualTo("time");
        assertThat(o.limitKind()).isEqualTo(LimitKind.TIME);
        assertThat(o.message()).isEqualTo("limit exceeded: time (5s)");
        assertThat(o.exitCode()).isNull();
        assertThat(o.denials()).isEmpty();
        // wall time is measured on the injected ticker
        assertThat(o.usage().wallMillis()).isGreaterThanOrEqualTo(TIMEOUT.toMillis());
        // the guest itself stopped (not only its caller after the grace period), and compiled
        // loops no longer look at their thread's interrupt flag
        assertThat(threadsInGuestCode()).as("threads still running guest code").isEmpty();
        assertThat(StopGate.pending).as("runs asked to stop and still running").isZero();
    }

    /** The threads with a frame of the engine (compiled guest code or its interpreter). */
    private static List<String> threadsInGuestCode() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(
                        e ->
                                java.util.Arrays.stream(e.getValue())
                                        .anyMatch(
                                                f ->
                                                        f.getClassName()
                                                                .startsWith(
                                                                        "com.dylibso.chicory.")))
                .map(e -> e.getKey().getName())
                .toList();
    }

    private static void assertLimitEvents(List<Event> events) {
        assertThat(
                        events.stream()
                                .filter(e -> e instanceof LifecycleEvent)
                                .map(e -> ((LifecycleEvent) e).type()))
                .containsExactly(
                        LifecycleEvent.Type.MODULE_ACCEPTED,
                        LifecycleEvent.Type.INSTANCE_STARTED,
                        LifecycleEvent.Type.LIMIT_HIT,
                        LifecycleEvent.Type.OUTCOME);
    }

    @ParameterizedTest(name = "compiled={0}")
    @ValueSource(booleans = {true, false})
    void busyLoopWithoutHostCalls(boolean compiled) throws Exception {
        byte[] wasm =
                Hostile.guest(
                        """
                        (func (export "_start")
                          (loop $forever (br $forever)))
                        """);
        Stopped s =
                runUntilStopped(
                        compiled ? airlock : interpreter, wasm, TimeLimitTest::started, () -> {});
        assertTimeLimit(s.outcome());
        assertThat(s.outcome().usage().hostCalls()).isZero();
        assertLimitEvents(s.events());
    }

    @Test
    void busyLoopOfSplitPieces() throws Exception {
        // a loop body far above the split size: the compiled loop calls pieces, which are not
        // checked before their calls, and its back edge looks at the thread only once a stop was
        // asked for
        StringBuilder body = new StringBuilder();
        for (int k = 0; k < 60; k++) {
            body.append("(local.set $a (i32.add (i32.mul (local.get $a) (i32.const 31))")
                    .append(" (i32.xor (local.get $i) (i32.const ")
                    .append(k * 7919)
                    .append("))))\n(i32.store (i32.and (local.get $a) (i32.const 0xfffc))")
                    .append(" (local.get $a))\n");
        }
        byte[] wasm =
                Hostile.guest(
                        "(func (export \"_start\") (local $i i32) (local $a i32)\n"
                                + "(loop $forever\n"
                                + body
                                + "(local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
                                + "(br $forever)))");
        Stopped s = runUntilStopped(airlock, wasm, TimeLimitTest::started, () -> {});
        assertTimeLimit(s.outcome());
        assertThat(s.outcome().usage().hostCalls()).isZero();
    }

    @Test
    void exponentialRecursionWithoutLoops() throws Exception {
        // 2^60 calls, never deeper than 60: no loop to check, only the functions' entries
        byte[] wasm =
                Hostile.guest(
                        """
                        (func $tree (param $n i32)
                          (if (local.get $n)
                            (then
                              (call $tree (i32.sub (local.get $n) (i32.const 1)))
                              (call $tree (i32.sub (local.get $n) (i32.const 1))))))
                        (func (export "_start") (call $tree (i32.const 60)))
                        """);
        Stopped s = runUntilStopped(airlock, wasm, TimeLimitTest::started, () -> {});
        assertTimeLimit(s.outcome());
    }

    @Test
    void exponentialRecursionOfAHugeFunction() throws Exception {
        // the same tree of calls, each through a function too big for the JIT to inline into
        // (not split): its calls are checked once on its entry, not at each call
        StringBuilder filler = new StringBuilder();
        for (int k = 0; k < 800; k++) {
            filler.append("(local.set $a (i32.add (i32.mul (local.get $a) (i32.const 31)) ")
                    .append("(i32.const ")
                    .append(k)
                    .append(")))\n");
        }
        byte[] wasm =
                Hostile.guest(
                        "(func $tree (param $n i32) (local $a i32)\n"
                                + filler
                                + "(i32.store (i32.const 0) (local.get $a))\n"
                                + "(if (local.get $n) (then\n"
                                + "(call $tree (i32.sub (local.get $n) (i32.const 1)))\n"
                                + "(call $tree (i32.sub (local.get $n) (i32.const 1))))))\n"
                                + "(func (export \"_start\") (call $tree (i32.const 60)))");
        Airlock whole = Airlock.builder().ticker(ticker).splitThreshold(0).build();
        Stopped s = runUntilStopped(whole, wasm, TimeLimitTest::started, () -> {});
        assertTimeLimit(s.outcome());
    }

    @Test
    void busyLoopWithArithmeticAndMemory() throws Exception {
        byte[] wasm =
                Hostile.guest(
                        """
                        (func (export "_start") (local $i i32)
                          (loop $forever
                            (i32.store (i32.and (local.get $i) (i32.const 0xfffc))
                                       (i32.mul (local.get $i) (i32.const 31)))
                            (local.set $i (i32.add (local.get $i) (i32.const 1)))
                            (br_if $forever (i32.ne (local.get $i) (i32.const -1)))
                            (local.set $i (i32.const 0))
                            (br $forever)))
                        """);
        Stopped s = runUntilStopped(airlock, wasm, TimeLimitTest::started, () -> {});
        assertTimeLimit(s.outcome());
    }

    @ParameterizedTest(name = "call={0}")
    @ValueSource(strings = {"sched_yield", "clock_time_get", "fd_write"})
    void loopOfHostCalls(String call) throws Exception {
        String invoke =
                switch (call) {
                    case "sched_yield" -> "(drop (call $sched_yield))";
                    case "clock_time_get" ->
                            "(drop (call $clock_time_get (i32.const 1) (i64.const 0) (i32.const"
                                    + " 32)))";
                    default -> "(call $print (i32.const 256) (i32.const 1))";
                };
        byte[] wasm =
                Hostile.guest(
                        "(data (i32.const 256) \".\")\n"
                                + "(func (export \"_start\") (loop $forever "
                                + invoke
                                + " (br $forever)))");
        Stopped s = runUntilStopped(airlock, wasm, e -> hostCalls(e) >= 100, () -> {});
        assertTimeLimit(s.outcome());
        List<HostCallEvent> calls =
                s.events().stream()
                        .filter(e -> e instanceof HostCallEvent)
                        .map(e -> (HostCallEvent) e)
                        .toList();
        assertThat(calls).hasSizeGreaterThanOrEqualTo(100);
        assertThat(calls).allMatch(c -> c.call().equals("wasi_snapshot_preview1." + call));
        assertThat(s.outcome().usage().hostCalls()).isEqualTo(calls.size());
        if (call.equals("fd_write")) {
            assertThat(s.stdout()).hasSize(calls.size()).matches("\\.+");
        }
        assertLimitEvents(s.events());
    }

    @Test
    void sleepInPollOneoff() throws Exception {
        // one relative clock subscription (monotonic) of one hour, real time: only the watchdog
        // can end it, by interrupting the sleep
        byte[] wasm =
                Hostile.guest(
                        """
                        (data (i32.const 256) "sleeping\\n")
                        (func (export "_start")
                          (i64.store (i32.const 512) (i64.const 42))          ;; userdata
                          (i32.store8 (i32.const 520) (i32.const 0))          ;; eventtype clock
                          (i32.store (i32.const 528) (i32.const 1))           ;; monotonic
                          (i64.store (i32.const 536) (i64.const 3600000000000)) ;; 1 h
                          (i64.store (i32.const 544) (i64.const 0))           ;; precision
                          (i32.store16 (i32.const 552) (i32.const 0))         ;; relative
                          (call $print (i32.const 256) (i32.const 9))
                          (drop (call $poll_oneoff (i32.const 512) (i32.const 1024)
                                                   (i32.const 1) (i32.const 32)))
                          (call $print (i32.const 256) (i32.const 9)))
                        """);
        Stopped s =
                runUntilStopped(
                        airlock,
                        wasm,
                        events -> hostCalls(events) == 1,
                        () -> {
                            // the fd_write came from the guest's thread: wait until that thread
                            // is asleep inside poll_oneoff
                            while (guestThread.getState() != Thread.State.TIMED_WAITING) {
                                Thread.onSpinWait();
                            }
                        });
        assertTimeLimit(s.outcome());
        assertThat(s.stdout()).isEqualTo("sleeping\n");
        assertThat(s.outcome().usage().hostCalls()).isEqualTo(2);
        List<HostCallEvent> calls =
                s.events().stream()
                        .filter(e -> e instanceof HostCallEvent)
                        .map(e -> (HostCallEvent) e)
                        .toList();
        assertThat(calls)
                .extracting(HostCallEvent::call)
                .containsExactly(
                        "wasi_snapshot_preview1.fd_write", "wasi_snapshot_preview1.poll_oneoff");
        // the poll ended the run: it has no result
        assertThat(calls.get(1).result()).isNull();
        assertLimitEvents(s.events());
    }

    @Test
    void infiniteLoopInStartSection() throws Exception {
        // a start section runs while the instance is built, before _start
        byte[] wasm =
                Hostile.guest(
                        """
                        (func $init (loop $forever (br $forever)))
                        (start $init)
                        (func (export "_start"))
                        """);
        Stopped s = runUntilStopped(airlock, wasm, events -> !events.isEmpty(), () -> {});
        assertTimeLimit(s.outcome());
        assertThat(
                        s.events().stream()
                                .filter(e -> e instanceof LifecycleEvent)
                                .map(e -> ((LifecycleEvent) e).type()))
                .containsExactly(
                        LifecycleEvent.Type.MODULE_ACCEPTED,
                        LifecycleEvent.Type.LIMIT_HIT,
                        LifecycleEvent.Type.OUTCOME);
    }

    @Test
    void guestThatEndsInTimeIsNotStopped() throws Exception {
        // the ticker is never advanced: a finite guest ends normally whatever the real time
        byte[] wasm =
                Hostile.guest(
                        """
                        (func (export "_start") (local $i i32)
                          (loop $l
                            (local.set $i (i32.add (local.get $i) (i32.const 1)))
                            (br_if $l (i32.lt_u (local.get $i) (i32.const 1000000)))))
                        """);
        Outcome o = airlock.run(airlock.load(wasm), POLICY, Stdio.discard());
        assertThat(o.status()).isEqualTo(Status.OK);
        assertThat(o.usage().wallMillis()).isZero();
    }

    @Test
    void runAfterATimeoutIsHealthy() throws Exception {
        busyLoopWithoutHostCalls(true);
        Hostile.Result r =
                Hostile.run(airlock, Guests.wat(Guests.helloWat("still here\n")), POLICY);
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout()).isEqualTo("still here\n");
    }
}
