package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.GuestMemoryException;
import dev.airlock.core.GuestModule;
import dev.airlock.core.HostImport;
import dev.airlock.core.HostImport.ValueType;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.Decision;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.testing.Guests;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Host functions that work on guest memory ({@link HostImport#withMemory}): bounds-checked access
 * whatever the guest passes, the call's summary in its event, refusals recorded as denials, and
 * per-run values closed when the run ends.
 */
class GuestMemoryTest {
    private static final List<ValueType> I32x2 = List.of(ValueType.I32, ValueType.I32);
    private static final List<ValueType> I32 = List.of(ValueType.I32);

    /** {@code host.sum(ptr, len)}: the sum of the bytes, or -1 if the range is out of bounds. */
    private static final HostImport SUM =
            HostImport.withMemory(
                    "host",
                    "sum",
                    I32x2,
                    I32,
                    (args, call) -> {
                        long ptr = args[0] & 0xFFFFFFFFL;
                        long len = args[1] & 0xFFFFFFFFL;
                        call.summary("len", len);
                        try {
                            long sum = 0;
                            for (byte b : call.memory().readBytes(ptr, len)) {
                                sum += b & 0xFF;
                            }
                            return new long[] {sum};
                        } catch (GuestMemoryException e) {
                            return new long[] {-1};
                        }
                    });

    /** {@code host.put(ptr, value)}: writes an i32; 0, or 1 if out of bounds. */
    private static final HostImport PUT =
            HostImport.withMemory(
                    "host",
                    "put",
                    I32x2,
                    I32,
                    (args, call) -> {
                        try {
                            call.memory().writeInt(args[0] & 0xFFFFFFFFL, (int) args[1]);
                            return new long[] {0};
                        } catch (GuestMemoryException e) {
                            return new long[] {1};
                        }
                    });

    private static final String IMPORTS =
            """
            (import "host" "sum" (func $sum (param i32 i32) (result i32)))
            (import "host" "put" (func $put (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
            """;

    private static Outcome run(String body, Policy policy, List<Event> events)
            throws ModuleRejectedException {
        byte[] wasm =
                Guests.wat("(module " + IMPORTS + "(memory (export \"memory\") 1) " + body + ")");
        GuestModule m = Guests.AIRLOCK.load(wasm);
        return Guests.AIRLOCK.run(m, policy, Stdio.discard(), events::add);
    }

    private static Policy policy(HostImport... imports) {
        Policy.Builder b = Policy.builder();
        for (HostImport h : imports) {
            b.grant(h);
        }
        return b.build();
    }

    @Test
    void readsAndWritesWithinBoundsOnly() throws Exception {
        // exit code: 1 + 2 + 3 = 6 only if the in-bounds read works, every hostile range failed,
        // and the in-bounds write landed while the out-of-bounds ones were refused
        String body =
                """
                (data (i32.const 100) "\\01\\02\\03")
                (func (export "_start") (local $bad i32)
                  ;; the last byte of the 64 KiB page is fine, one more is not
                  (local.set $bad (i32.add (local.get $bad)
                    (i32.ne (call $sum (i32.const 65535) (i32.const 2)) (i32.const -1))))
                  (local.set $bad (i32.add (local.get $bad)
                    (i32.ne (call $sum (i32.const -1) (i32.const 1)) (i32.const -1))))
                  (local.set $bad (i32.add (local.get $bad)
                    (i32.ne (call $sum (i32.const 1) (i32.const -1)) (i32.const -1))))
                  (local.set $bad (i32.add (local.get $bad)
                    (i32.ne (call $sum (i32.const -2147483648) (i32.const -2147483648))
                            (i32.const -1))))
                  (local.set $bad (i32.add (local.get $bad)
                    (i32.ne (call $put (i32.const 65533) (i32.const 7)) (i32.const 1))))
                  (local.set $bad (i32.add (local.get $bad)
                    (i32.ne (call $put (i32.const -4) (i32.const 7)) (i32.const 1))))
                  (local.set $bad (i32.add (local.get $bad)
                    (call $put (i32.const 65532) (i32.const 9))))
                  (if (local.get $bad) (then (call $exit (i32.const 100))))
                  (if (i32.ne (i32.load (i32.const 65532)) (i32.const 9))
                    (then (call $exit (i32.const 101))))
                  (call $exit (call $sum (i32.const 100) (i32.const 3))))
                """;
        List<Event> events = new ArrayList<>();
        Outcome o = run(body, policy(SUM, PUT), events);
        assertThat(o.status()).as(o.message()).isEqualTo(Status.EXIT);
        assertThat(o.exitCode()).isEqualTo(6);
        HostCallEvent last =
                events.stream()
                        .filter(e -> e instanceof HostCallEvent)
                        .map(e -> (HostCallEvent) e)
                        .filter(e -> e.call().equals("host.sum"))
                        .reduce((a, b) -> b)
                        .orElseThrow();
        assertThat(last.args()).containsEntry("len", 3L).doesNotContainKey("args");
        HostCallEvent put =
                events.stream()
                        .filter(e -> e instanceof HostCallEvent)
                        .map(e -> (HostCallEvent) e)
                        .filter(e -> e.call().equals("host.put"))
                        .findFirst()
                        .orElseThrow();
        assertThat(put.args()).containsEntry("args", 2);
    }

    @Test
    void aModuleWithoutMemoryGetsOutOfBoundsEverywhere() {
        byte[] wasm =
                Guests.wat(
                        "(module "
                                + IMPORTS
                                + "(func (export \"_start\")"
                                + " (call $exit (i32.add (i32.const 10)"
                                + " (call $sum (i32.const 0) (i32.const 0))))))");
        Outcome o = Guests.run(wasm, policy(SUM, PUT)).outcome();
        // a zero-length read at 0 fits a zero-size memory; anything else would not
        assertThat(o.exitCode()).as(o.message()).isEqualTo(10);
        byte[] wasm2 =
                Guests.wat(
                        "(module "
                                + IMPORTS
                                + "(func (export \"_start\")"
                                + " (call $exit (i32.add (i32.const 10)"
                                + " (call $sum (i32.const 0) (i32.const 1))))))");
        assertThat(Guests.run(wasm2, policy(SUM, PUT)).outcome().exitCode()).isEqualTo(9);
    }

    @Test
    void aRefusalIsADenialAndTheHandlerDoesNotRun() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        HostImport guarded =
                HostImport.withMemory(
                        "host",
                        "sum",
                        I32x2,
                        I32,
                        new HostImport.GuestHandler() {
                            @Override
                            public long[] call(long[] args, dev.airlock.core.HostCall call) {
                                ran.incrementAndGet();
                                return new long[] {0};
                            }

                            @Override
                            public HostImport.Refusal check(
                                    long[] args, dev.airlock.core.HostCall call) {
                                call.summary("asked", args[1]);
                                return args[1] > 2
                                        ? new HostImport.Refusal("test.big", 42, "too big")
                                        : null;
                            }
                        });
        String body =
                """
                (func (export "_start")
                  (drop (call $sum (i32.const 0) (i32.const 1)))
                  (call $exit (call $sum (i32.const 0) (i32.const 3))))
                """;
        List<Event> events = new ArrayList<>();
        Outcome o = run(body, policy(guarded, PUT), events);
        assertThat(o.exitCode()).isEqualTo(42);
        assertThat(ran.get()).isEqualTo(1);
        assertThat(o.denials()).hasSize(1);
        assertThat(o.denials().get(0).rule()).isEqualTo("test.big");
        assertThat(o.denials().get(0).call()).isEqualTo("host.sum");
        List<HostCallEvent> sums =
                events.stream()
                        .filter(e -> e instanceof HostCallEvent)
                        .map(e -> (HostCallEvent) e)
                        .filter(e -> e.call().equals("host.sum"))
                        .toList();
        assertThat(sums).hasSize(2);
        assertThat(sums.get(0).decision()).isEqualTo(Decision.ALLOW);
        assertThat(sums.get(1).decision()).isEqualTo(Decision.DENY);
        assertThat(sums.get(1).rule()).isEqualTo("test.big");
        assertThat(sums.get(1).result()).isEqualTo(42L);
        assertThat(sums.get(1).args()).containsEntry("asked", 3L);
    }

    @Test
    void runLocalsAreSharedWithinARunAndClosedAtItsEnd() throws Exception {
        List<Integer> closed = new ArrayList<>();
        AtomicInteger made = new AtomicInteger();
        Object key = new Object();
        HostImport count =
                HostImport.withMemory(
                        "host",
                        "sum",
                        I32x2,
                        I32,
                        (args, call) -> {
                            int[] n =
                                    call.runLocal(
                                                    key,
                                                    () -> {
                                                        int id = made.incrementAndGet();
                                                        return new Counter(id, closed);
                                                    })
                                            .n;
                            return new long[] {++n[0]};
                        });
        String body =
                """
                (func (export "_start")
                  (drop (call $sum (i32.const 0) (i32.const 0)))
                  (drop (call $sum (i32.const 0) (i32.const 0)))
                  (call $exit (call $sum (i32.const 0) (i32.const 0))))
                """;
        Policy p = policy(count, PUT);
        assertThat(run(body, p, new ArrayList<>()).exitCode()).isEqualTo(3);
        assertThat(closed).containsExactly(1);
        // a second run of the same policy starts afresh
        assertThat(run(body, p, new ArrayList<>()).exitCode()).isEqualTo(3);
        assertThat(closed).containsExactly(1, 2);
    }

    private static final class Counter implements AutoCloseable {
        final int[] n = {0};
        private final int id;
        private final List<Integer> closed;

        Counter(int id, List<Integer> closed) {
            this.id = id;
            this.closed = closed;
        }

        @Override
        public void close() {
            closed.add(id);
        }
    }
}
