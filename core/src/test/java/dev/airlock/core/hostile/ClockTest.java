package dev.airlock.core.hostile;

import static dev.airlock.core.hostile.Hostile.EINVAL;
import static dev.airlock.core.hostile.Hostile.ENOTCAPABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.ClockMode;
import dev.airlock.core.Denial;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guests that read the clocks. Denied, every clock call fails with {@code ENOTCAPABLE}, leaves the
 * result untouched and is recorded as a denial of rule {@code clock.deny}; frozen, the wall clock
 * shows 2000-01-01T00:00:00Z and the monotonic clock 0, call after call; real, both clocks have
 * millisecond resolution.
 */
class ClockTest {
    private static final long FROZEN_REALTIME_NANOS = 946_684_800L * 1_000_000_000L;

    /**
     * Prints, for clocks 0 (realtime) and 1 (monotonic), three times: the errno of clock_time_get
     * and the value it left; then for clocks 0..3 the errno of clock_res_get and its value; then
     * the errno of both calls for the invalid clock 99. Result slots start as -1.
     */
    private static final byte[] PROBE =
            Hostile.guest(
                    """
                    (func $time (param $clock i32)
                      (i64.store (i32.const 512) (i64.const -1))
                      (call $say (call $clock_time_get (local.get $clock) (i64.const 1)
                                                       (i32.const 512)))
                      (call $say64 (i64.load (i32.const 512))))
                    (func $res (param $clock i32)
                      (i64.store (i32.const 512) (i64.const -1))
                      (call $say (call $clock_res_get (local.get $clock) (i32.const 512)))
                      (call $say64 (i64.load (i32.const 512))))
                    (func (export "_start")
                      (call $time (i32.const 0)) (call $time (i32.const 1))
                      (call $time (i32.const 0)) (call $time (i32.const 1))
                      (call $time (i32.const 0)) (call $time (i32.const 1))
                      (call $res (i32.const 0)) (call $res (i32.const 1))
                      (call $res (i32.const 2)) (call $res (i32.const 3))
                      (call $time (i32.const 99))
                      (call $res (i32.const 99)))
                    """);

    private static Policy clock(ClockMode mode) {
        return Policy.builder().clock(mode).build();
    }

    private static List<Long> numbers(String stdout) {
        return Arrays.stream(stdout.split("\n")).map(Long::parseLong).toList();
    }

    @Test
    void deniedClockCallsFailAndAreRecorded() {
        Hostile.Result r = Hostile.run(PROBE, clock(ClockMode.DENY));
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        Object[] expected = new Object[24];
        for (int i = 0; i < 24; i += 2) {
            expected[i] = ENOTCAPABLE;
            expected[i + 1] = -1;
        }
        assertThat(r.stdout()).isEqualTo(Script.lines(expected));
        assertThat(r.outcome().denials())
                .hasSize(12)
                .containsExactlyElementsOf(
                        concat(
                                Collections.nCopies(6, denial("clock_time_get")),
                                Collections.nCopies(4, denial("clock_res_get")),
                                List.of(denial("clock_time_get"), denial("clock_res_get"))));
    }

    private static Denial denial(String call) {
        return new Denial("wasi_snapshot_preview1." + call, "clock.deny", "the clock is denied");
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        return Arrays.stream(lists).flatMap(List::stream).toList();
    }

    @Test
    void frozenClocksShowFixedValues() {
        Hostile.Result r = Hostile.run(PROBE, clock(ClockMode.FROZEN));
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout())
                .isEqualTo(
                        Script.lines(
                                0,
                                FROZEN_REALTIME_NANOS,
                                0,
                                0,
                                0,
                                FROZEN_REALTIME_NANOS,
                                0,
                                0,
                                0,
                                FROZEN_REALTIME_NANOS,
                                0,
                                0,
                                0,
                                1_000_000,
                                0,
                                1_000_000,
                                0,
                                1_000_000,
                                0,
                                1_000_000,
                                EINVAL,
                                -1,
                                EINVAL,
                                -1));
        assertThat(r.outcome().denials()).isEmpty();
        // and again in another run: the same values
        assertThat(Hostile.run(PROBE, clock(ClockMode.FROZEN)).stdout()).isEqualTo(r.stdout());
    }

    @Test
    void realClocksHaveMillisecondResolution() {
        long before = System.currentTimeMillis();
        Hostile.Result r = Hostile.run(PROBE, clock(ClockMode.REAL));
        long after = System.currentTimeMillis();
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        List<Long> n = numbers(r.stdout());
        assertThat(n).hasSize(24);
        long lastMonotonic = Long.MIN_VALUE;
        for (int i = 0; i < 12; i += 4) {
            long realtime = n.get(i + 1);
            long monotonic = n.get(i + 3);
            assertThat(n.get(i)).isZero();
            assertThat(n.get(i + 2)).isZero();
            assertThat(realtime % 1_000_000).isZero();
            assertThat(realtime / 1_000_000).isBetween(before - 1, after);
            assertThat(monotonic % 1_000_000).isZero();
            assertThat(monotonic).isGreaterThanOrEqualTo(Math.max(0, lastMonotonic));
            lastMonotonic = monotonic;
        }
        // resolution of every clock: 1 ms
        assertThat(n.subList(12, 20))
                .containsExactly(0L, 1_000_000L, 0L, 1_000_000L, 0L, 1_000_000L, 0L, 1_000_000L);
        // an invalid clock is EINVAL for both calls, the result untouched
        assertThat(n.subList(20, 24)).containsExactly((long) EINVAL, -1L, (long) EINVAL, -1L);
    }
}
