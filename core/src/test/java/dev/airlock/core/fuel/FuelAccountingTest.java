package dev.airlock.core.fuel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Airlock;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.testing.Guests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exact fuel accounting with the default {@link CostTable} on hand-written modules, and exhaustion
 * in loops, recursion, indirect calls, host calls and start functions, in the compiler and the
 * interpreter alike.
 */
class FuelAccountingTest {
    private static final Airlock INTERPRETER = Airlock.builder().compile(false).build();

    static Outcome run(boolean compiled, String wat, long fuel) {
        return run(compiled, Guests.wat(wat), fuel);
    }

    static Outcome run(boolean compiled, byte[] wasm, long fuel) {
        Policy p = Policy.builder().limits(Limits.builder().fuel(fuel).build()).build();
        return Guests.run(compiled ? Guests.AIRLOCK : INTERPRETER, wasm, p).outcome();
    }

    /**
     * A counting loop. Its segments: the entry ({@code i32.const}, {@code local.set}: 2), the loop
     * header ({@code local.get}, {@code i32.eqz}, {@code br_if}: 3, run N + 1 times) and the body
     * after {@code br_if} ({@code local.get}, {@code i32.const}, {@code i32.sub}, {@code
     * local.set}, {@code br}: 5, run N times): 8N + 5 in all.
     */
    static String loop(long n) {
        return "(module (func (export \"_start\") (local $i i32)\n"
                + "  (local.set $i (i32.const "
                + n
                + "))\n"
                + "  (block $done (loop $l\n"
                + "    (br_if $done (i32.eqz (local.get $i)))\n"
                + "    (local.set $i (i32.sub (local.get $i) (i32.const 1)))\n"
                + "    (br $l)))))";
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aLoopUsesFuelLinearInItsIterations(boolean compiled) {
        for (long n : new long[] {0, 1, 2, 10, 1000, 100_000}) {
            Outcome o = run(compiled, loop(n), 1L << 40);
            assertThat(o.status()).as(o.message()).isEqualTo(Status.OK);
            assertThat(o.usage().fuel()).as("n=%d", n).isEqualTo(8 * n + 5);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theExactBudgetIsEnoughAndOneLessIsNot(boolean compiled) {
        long need = 8 * 1000 + 5;
        Outcome ok = run(compiled, loop(1000), need);
        assertThat(ok.status()).isEqualTo(Status.OK);
        assertThat(ok.usage().fuel()).isEqualTo(need);
        Outcome out = run(compiled, loop(1000), need - 1);
        assertThat(out.status()).isEqualTo(Status.LIMIT);
        assertThat(out.limitKind()).isEqualTo(LimitKind.FUEL);
        assertThat(out.kind()).isEqualTo("fuel");
        assertThat(out.message()).isEqualTo("limit exceeded: fuel (" + (need - 1) + ")");
        assertThat(out.usage().fuel()).isEqualTo(need - 1);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anEndlessLoopRunsOutOfFuel(boolean compiled) {
        Outcome o =
                run(compiled, "(module (func (export \"_start\") (loop $l (br $l))))", 1_000_000);
        assertThat(o.limitKind()).isEqualTo(LimitKind.FUEL);
        assertThat(o.usage().fuel()).isEqualTo(1_000_000);
    }

    @Test
    void aBudgetOfZero() {
        Outcome empty = run(true, "(module (func (export \"_start\")))", 0);
        assertThat(empty.status()).isEqualTo(Status.OK);
        assertThat(empty.usage().fuel()).isZero();
        Outcome nop = run(true, "(module (func (export \"_start\") nop))", 0);
        assertThat(nop.limitKind()).isEqualTo(LimitKind.FUEL);
        assertThat(nop.message()).isEqualTo("limit exceeded: fuel (0)");
        assertThat(nop.usage().fuel()).isZero();
        Outcome one = run(true, "(module (func (export \"_start\") nop))", 1);
        assertThat(one.status()).isEqualTo(Status.OK);
        assertThat(one.usage().fuel()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aTrapByUnreachableCountsTheFuelUsedBeforeIt(boolean compiled) {
        String ok = loop(1000);
        String trap = ok.substring(0, ok.length() - 2) + " unreachable))";
        Outcome o = run(compiled, trap, 1L << 40);
        assertThat(o.status()).isEqualTo(Status.TRAP);
        assertThat(o.kind()).isEqualTo("unreachable");
        assertThat(o.usage().fuel()).isEqualTo(8 * 1000 + 5 + 1);
        // a budget that cannot pay for the unreachable as well: fuel, not the trap
        Outcome out = run(compiled, trap, 8 * 1000 + 5);
        assertThat(out.limitKind()).isEqualTo(LimitKind.FUEL);
    }

    @Test
    void noBudgetMeansNoMetering() {
        Outcome o = Guests.run(Guests.wat(loop(10)), Policy.defaults()).outcome();
        assertThat(o.status()).isEqualTo(Status.OK);
        assertThat(o.usage().fuel()).isEqualTo(-1);
        assertThat(o.usage().metered()).isFalse();
    }
}
