package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Airlock;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.event.LifecycleEvent;
import dev.airlock.core.testing.Guests;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guests that recurse without end, directly, mutually and through {@code call_indirect}. Each
 * exhausts the guest thread's stack, ends as a stack limit, and leaves the JVM able to run the next
 * guest.
 */
class StackLimitTest {
    private static final Policy POLICY =
            Policy.builder().limits(Limits.builder().stackBytes(512L << 10).build()).build();

    private static final Airlock INTERPRETER = Airlock.builder().compile(false).build();

    private static Airlock airlock(boolean compiled) {
        return compiled ? Guests.AIRLOCK : INTERPRETER;
    }

    private static void assertStackLimit(boolean compiled, String body) {
        assertStackLimit(compiled, body, false);
    }

    private static void assertStackLimit(boolean compiled, String body, boolean callsPerLevel) {
        Hostile.Result r =
                Hostile.run(
                        airlock(compiled),
                        Hostile.guest(
                                "(data (i32.const 256) \"deep\\n\")\n"
                                        + body
                                        + """
                                        (func (export "_start")
                                          (call $print (i32.const 256) (i32.const 5))
                                          (call $enter))
                                        """),
                        POLICY);
        Outcome o = r.outcome();
        assertThat(o.status()).isEqualTo(Status.LIMIT);
        assertThat(o.kind()).isEqualTo("stack");
        assertThat(o.limitKind()).isEqualTo(LimitKind.STACK);
        assertThat(o.message())
                .isEqualTo("limit exceeded: stack (call depth exhausted a 512KiB stack)");
        assertThat(o.exitCode()).isNull();
        assertThat(r.stdout()).isEqualTo("deep\n");
        if (callsPerLevel) {
            assertThat(o.usage().hostCalls()).isGreaterThan(100);
            // a host call cut short by the overflow still has its one event, seq without gaps
            assertThat(r.hostCalls()).hasSize((int) o.usage().hostCalls());
            for (int i = 0; i < r.events().size(); i++) {
                assertThat(r.events().get(i).seq()).isEqualTo(i + 1);
            }
        } else {
            assertThat(o.usage().hostCalls()).isEqualTo(1);
        }
        assertThat(r.lifecycle())
                .containsExactly(
                        LifecycleEvent.Type.MODULE_ACCEPTED,
                        LifecycleEvent.Type.INSTANCE_STARTED,
                        LifecycleEvent.Type.LIMIT_HIT,
                        LifecycleEvent.Type.OUTCOME);
        assertHealthy(compiled);
    }

    /** The same JVM, and the same pool of guest threads, still runs guests normally. */
    private static void assertHealthy(boolean compiled) {
        for (int i = 0; i < 3; i++) {
            Hostile.Result r =
                    Hostile.run(
                            airlock(compiled),
                            Guests.wat(Guests.helloWat("alive " + i + "\n")),
                            POLICY);
            assertThat(r.outcome().status()).isEqualTo(Status.OK);
            assertThat(r.stdout()).isEqualTo("alive " + i + "\n");
        }
        // and bounded recursion still works, on the small stack and on the default one
        assertBoundedRecursion(compiled, POLICY, 50);
        assertBoundedRecursion(compiled, Policy.defaults(), 2000);
    }

    private static void assertBoundedRecursion(boolean compiled, Policy policy, int depth) {
        Hostile.Result r =
                Hostile.run(
                        airlock(compiled),
                        Hostile.guest(
                                """
                                (func $down (param $n i32) (result i32)
                                  (if (result i32) (i32.eqz (local.get $n))
                                    (then (i32.const 0))
                                    (else (i32.add (i32.const 1)
                                      (call $down (i32.sub (local.get $n) (i32.const 1)))))))
                                (func (export "_start")
                                  (call $say (call $down (i32.const"""
                                        + " "
                                        + depth
                                        + "))))"),
                        policy);
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout()).isEqualTo(depth + "\n");
    }

    @ParameterizedTest(name = "compiled={0}")
    @ValueSource(booleans = {true, false})
    void directRecursion(boolean compiled) {
        assertStackLimit(compiled, "(func $enter (call $enter))");
    }

    @ParameterizedTest(name = "compiled={0}")
    @ValueSource(booleans = {true, false})
    void recursionWithLargeFrames(boolean compiled) {
        assertStackLimit(
                compiled,
                """
                (func $enter (local i64 i64 i64 i64 i64 i64 i64 i64 f64 f64 f64 f64 v128 v128)
                  (call $enter))
                """);
    }

    @ParameterizedTest(name = "compiled={0}")
    @ValueSource(booleans = {true, false})
    void recursionWithArguments(boolean compiled) {
        assertStackLimit(
                compiled,
                """
                (func $r (param i64 i64 i64 i64 i64 i64) (result i64)
                  (i64.add (i64.const 1)
                    (call $r (local.get 0) (local.get 1) (local.get 2)
                             (local.get 3) (local.get 4) (local.get 5))))
                (func $enter
                  (drop (call $r (i64.const 1) (i64.const 2) (i64.const 3)
                                 (i64.const 4) (i64.const 5) (i64.const 6))))
                """);
    }

    @ParameterizedTest(name = "compiled={0}")
    @ValueSource(booleans = {true, false})
    void mutualRecursion(boolean compiled) {
        assertStackLimit(
                compiled,
                """
                (func $ping (call $pong))
                (func $pong (call $pang))
                (func $pang (call $ping))
                (func $enter (call $ping))
                """);
    }

    @ParameterizedTest(name = "compiled={0}")
    @ValueSource(booleans = {true, false})
    void recursionThroughCallIndirect(boolean compiled) {
        assertStackLimit(
                compiled,
                """
                (type $v_v (func))
                (table 2 funcref)
                (elem (i32.const 0) $a $b)
                (func $a (call_indirect (type $v_v) (i32.const 1)))
                (func $b (call_indirect (type $v_v) (i32.const 0)))
                (func $enter (call_indirect (type $v_v) (i32.const 0)))
                """);
    }

    @ParameterizedTest(name = "compiled={0}")
    @ValueSource(booleans = {true, false})
    void recursionThroughAHostCallEachLevel(boolean compiled) {
        // every level also calls the host, so the overflow may land anywhere in the host's code,
        // the mediation and the event sink included; where it lands varies, hence the repetition
        for (int i = 0; i < 10; i++) {
            assertStackLimit(
                    compiled,
                    """
                    (func $enter
                      (drop (call $sched_yield))
                      (call $enter))
                    """,
                    true);
        }
    }
}
