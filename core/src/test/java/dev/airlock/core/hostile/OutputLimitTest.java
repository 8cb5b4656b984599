package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.event.LifecycleEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guests that flood stdout and stderr. The sinks receive exactly {@link Limits#maxOutputBytes()}
 * bytes, shared by both streams, and the run ends as an output limit at the write that crosses it.
 */
class OutputLimitTest {
    private static final long CAP = 1000;

    private static Policy cap(long bytes) {
        return Policy.builder().limits(Limits.builder().maxOutputBytes(bytes).build()).build();
    }

    /** 64 bytes of 'x' at 4096, written forever, to fd 1 or 2 or alternating. */
    private static byte[] flood(String fdExpr) {
        return Hostile.guest(
                """
                (func (export "_start") (local $i i32)
                  (memory.fill (i32.const 4096) (i32.const 120) (i32.const 64))
                  (i32.store (i32.const 32) (i32.const 4096))
                  (i32.store (i32.const 36) (i32.const 64))
                  (loop $forever
                    (drop (call $fd_write\s"""
                        + fdExpr
                        + """
                     (i32.const 32) (i32.const 1) (i32.const 40)))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $forever)))
                """);
    }

    private static void assertOutputLimit(Outcome o, long cap) {
        assertThat(o.status()).isEqualTo(Status.LIMIT);
        assertThat(o.kind()).isEqualTo("output");
        assertThat(o.limitKind()).isEqualTo(LimitKind.OUTPUT);
        assertThat(o.message()).isEqualTo("limit exceeded: output (" + cap + "B)");
        assertThat(o.exitCode()).isNull();
    }

    @Test
    void stdoutFloodDeliversExactlyTheCap() {
        Hostile.Result r = Hostile.run(flood("(i32.const 1)"), cap(CAP));
        assertOutputLimit(r.outcome(), CAP);
        assertThat(r.stdout()).hasSize((int) CAP).matches("x+");
        assertThat(r.stderr()).isEmpty();
        // 15 whole writes (960 bytes), then the 16th crosses the cap: 40 of its 64 bytes go out,
        // all 64 are counted
        assertThat(r.outcome().usage().stdoutBytes()).isEqualTo(16 * 64);
        assertThat(r.outcome().usage().stderrBytes()).isZero();
        assertThat(r.outcome().usage().hostCalls()).isEqualTo(16);
        List<HostCallEvent> calls = r.hostCalls();
        assertThat(calls).hasSize(16);
        assertThat(calls.subList(0, 15)).allMatch(c -> c.result() == 0L);
        // the crossing write ended the run
        assertThat(calls.get(15).result()).isNull();
        assertThat(r.lifecycle())
                .containsExactly(
                        LifecycleEvent.Type.MODULE_ACCEPTED,
                        LifecycleEvent.Type.INSTANCE_STARTED,
                        LifecycleEvent.Type.LIMIT_HIT,
                        LifecycleEvent.Type.OUTCOME);
    }

    @Test
    void stderrFloodDeliversExactlyTheCap() {
        Hostile.Result r = Hostile.run(flood("(i32.const 2)"), cap(CAP));
        assertOutputLimit(r.outcome(), CAP);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).hasSize((int) CAP).matches("x+");
        assertThat(r.outcome().usage().stderrBytes()).isEqualTo(16 * 64);
    }

    @Test
    void stdoutAndStderrShareTheCap() {
        // even iterations write to stdout, odd ones to stderr
        Hostile.Result r =
                Hostile.run(
                        flood("(i32.add (i32.const 1) (i32.and (local.get $i) (i32.const 1)))"),
                        cap(CAP));
        assertOutputLimit(r.outcome(), CAP);
        // writes 0..14 fit (8 to stdout, 7 to stderr); write 15 goes to stderr and is cut at 40
        assertThat(r.stdout()).hasSize(8 * 64);
        assertThat(r.stderr()).hasSize(7 * 64 + 40);
        assertThat(r.stdout().length() + r.stderr().length()).isEqualTo((int) CAP);
        assertThat(r.outcome().usage().stdoutBytes()).isEqualTo(8 * 64);
        assertThat(r.outcome().usage().stderrBytes()).isEqualTo(8 * 64);
    }

    @Test
    void oneWriteWithManyIovecsIsCutInside() {
        // one fd_write of 100 iovecs of 64 bytes each: the cap falls inside the 16th
        Hostile.Result r =
                Hostile.run(
                        Hostile.guest(
                                """
                                (func (export "_start") (local $i i32)
                                  (memory.fill (i32.const 4096) (i32.const 121) (i32.const 64))
                                  (loop $iovs
                                    (i32.store (i32.add (i32.const 8192) (i32.shl (local.get $i) (i32.const 3)))
                                               (i32.const 4096))
                                    (i32.store (i32.add (i32.const 8196) (i32.shl (local.get $i) (i32.const 3)))
                                               (i32.const 64))
                                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                                    (br_if $iovs (i32.lt_u (local.get $i) (i32.const 100))))
                                  (drop (call $fd_write (i32.const 1) (i32.const 8192) (i32.const 100) (i32.const 40)))
                                  (call $print (i32.const 4096) (i32.const 1)))
                                """),
                        cap(CAP));
        assertOutputLimit(r.outcome(), CAP);
        assertThat(r.stdout()).hasSize((int) CAP).matches("y+");
        assertThat(r.outcome().usage().hostCalls()).isEqualTo(1);
    }

    @Test
    void exactlyTheCapIsAllowed() {
        // 1000 bytes in one write, then a clean exit: at the cap, not over it
        Hostile.Result r =
                Hostile.run(
                        Hostile.guest(
                                """
                                (func (export "_start")
                                  (memory.fill (i32.const 4096) (i32.const 122) (i32.const 1000))
                                  (call $print (i32.const 4096) (i32.const 1000)))
                                """),
                        cap(CAP));
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout()).hasSize(1000);
        assertThat(r.outcome().usage().stdoutBytes()).isEqualTo(1000);
    }

    @Test
    void oneByteOverTheCapIsALimit() {
        Hostile.Result r =
                Hostile.run(
                        Hostile.guest(
                                """
                                (func (export "_start")
                                  (memory.fill (i32.const 4096) (i32.const 122) (i32.const 1000))
                                  (call $print (i32.const 4096) (i32.const 1000))
                                  (call $print (i32.const 4096) (i32.const 1)))
                                """),
                        cap(CAP));
        assertOutputLimit(r.outcome(), CAP);
        assertThat(r.stdout()).hasSize(1000);
        assertThat(r.outcome().usage().stdoutBytes()).isEqualTo(1001);
    }

    @Test
    void zeroCapDeliversNothing() {
        Hostile.Result r = Hostile.run(flood("(i32.const 1)"), cap(0));
        assertOutputLimit(r.outcome(), 0);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.outcome().usage().stdoutBytes()).isEqualTo(64);
        assertThat(r.outcome().usage().hostCalls()).isEqualTo(1);
    }

    @Test
    void renumberedStdoutIsStillCapped() {
        // stdout moved onto stderr's number, and stderr moved onto a fresh number: both streams
        // still go through the one budget
        Hostile.Result r =
                Hostile.run(
                        Hostile.guest(
                                """
                                (func (export "_start")
                                  (memory.fill (i32.const 4096) (i32.const 120) (i32.const 64))
                                  (i32.store (i32.const 32) (i32.const 4096))
                                  (i32.store (i32.const 36) (i32.const 64))
                                  (drop (call $fd_renumber (i32.const 1) (i32.const 2)))
                                  (loop $forever
                                    (drop (call $fd_write (i32.const 2) (i32.const 32) (i32.const 1) (i32.const 40)))
                                    (br $forever)))
                                """),
                        cap(CAP));
        assertOutputLimit(r.outcome(), CAP);
        assertThat(r.stdout()).hasSize((int) CAP);
        assertThat(r.stderr()).isEmpty();
    }
}
