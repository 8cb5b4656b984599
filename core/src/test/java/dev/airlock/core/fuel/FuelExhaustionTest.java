package dev.airlock.core.fuel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Airlock;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.testing.Guests;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exhaustion wherever the work is: in recursion (direct and mutual, with and without results), in
 * indirect calls, in a loop of host calls and in a start function, in the compiler and the
 * interpreter alike. Each endless guest would run forever (or overflow the stack) without a budget;
 * with one it ends as {@code limit exceeded: fuel (N)} having used exactly N.
 */
class FuelExhaustionTest {
    private static final Airlock INTERPRETER = Airlock.builder().compile(false).build();

    static Guests.Run run(boolean compiled, String wat, long fuel, CostTable costs) {
        Policy p =
                Policy.builder()
                        .limits(Limits.builder().fuel(fuel).fuelCosts(costs).build())
                        .build();
        return Guests.run(compiled ? Guests.AIRLOCK : INTERPRETER, Guests.wat(wat), p);
    }

    static Outcome run(boolean compiled, String wat, long fuel) {
        return run(compiled, wat, fuel, CostTable.defaults()).outcome();
    }

    static void assertSpent(Outcome o, long budget) {
        assertThat(o.status()).as(o.message()).isEqualTo(Status.LIMIT);
        assertThat(o.limitKind()).isEqualTo(LimitKind.FUEL);
        assertThat(o.message()).isEqualTo("limit exceeded: fuel (" + budget + ")");
        assertThat(o.usage().fuel()).isEqualTo(budget);
    }

    static long used(Outcome o) {
        assertThat(o.status()).as(o.message()).isEqualTo(Status.OK);
        return o.usage().fuel();
    }

    /** {@code $count(n)}: 0 if n is 0, else 1 + count(n - 1); {@code _start} calls it with n. */
    static String countDown(long n) {
        return "(module\n"
                + "  (func $count (param $n i32) (result i32)\n"
                + "    (if (result i32) (i32.eqz (local.get $n))\n"
                + "      (then (i32.const 0))\n"
                + "      (else (i32.add (i32.const 1)\n"
                + "              (call $count (i32.sub (local.get $n) (i32.const 1)))))))\n"
                + "  (func (export \"_start\") (drop (call $count (i32.const "
                + n
                + ")))))";
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void recursionUsesFuelLinearInItsDepthAndEachCallPaysTheCallPrice(boolean compiled) {
        long f0 = used(run(compiled, countDown(0), 1L << 40));
        long f1 = used(run(compiled, countDown(1), 1L << 40));
        long perLevel = f1 - f0;
        assertThat(perLevel).isPositive();
        for (long n : new long[] {2, 10, 500}) {
            assertThat(used(run(compiled, countDown(n), 1L << 40)))
                    .as("depth %d", n)
                    .isEqualTo(f0 + n * perLevel);
        }
        // dearer calls: each of the 11 calls costs 45 more
        CostTable dear = CostTable.builder().call(50).build();
        Outcome o = run(compiled, countDown(10), 1L << 40, dear).outcome();
        assertThat(used(o)).isEqualTo(f0 + 10 * perLevel + 11 * 45);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void endlessDirectRecursionRunsOutOfFuelBeforeTheStack(boolean compiled) {
        String voidRec = "(module (func $f (export \"_start\") (call $f)))";
        assertSpent(run(compiled, voidRec, 2_000), 2_000);
        String valueRec =
                "(module (func $g (param i64) (result i64)"
                        + " (i64.add (local.get 0) (call $g (local.get 0))))"
                        + " (func (export \"_start\") (drop (call $g (i64.const 1)))))";
        assertSpent(run(compiled, valueRec, 3_001), 3_001);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void recursionThatWouldFinishStopsExactlyAtTheBudget(boolean compiled) {
        long need = used(run(compiled, countDown(300), 1L << 40));
        assertThat(used(run(compiled, countDown(300), need))).isEqualTo(need);
        assertSpent(run(compiled, countDown(300), need - 1), need - 1);
        assertSpent(run(compiled, countDown(300), need / 2), need / 2);
    }

    /** is_even / is_odd, calling each other {@code n} times. */
    static String evenOdd(long n) {
        return "(module\n"
                + "  (func $even (param $n i32) (result i32)\n"
                + "    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 1))\n"
                + "      (else (call $odd (i32.sub (local.get $n) (i32.const 1))))))\n"
                + "  (func $odd (param $n i32) (result i32)\n"
                + "    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))\n"
                + "      (else (call $even (i32.sub (local.get $n) (i32.const 1))))))\n"
                + "  (func (export \"_start\")\n"
                + "    (if (i32.ne (call $even (i32.const "
                + n
                + ")) (i32.const "
                + (n % 2 == 0 ? 1 : 0)
                + ")) (then unreachable))))";
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void mutualRecursion(boolean compiled) {
        long f0 = used(run(compiled, evenOdd(0), 1L << 40));
        long f2 = used(run(compiled, evenOdd(2), 1L << 40));
        long perPair = f2 - f0;
        assertThat(perPair).isPositive();
        assertThat(used(run(compiled, evenOdd(200), 1L << 40))).isEqualTo(f0 + 100 * perPair);
        long need = used(run(compiled, evenOdd(400), 1L << 40));
        assertSpent(run(compiled, evenOdd(400), need - 1), need - 1);
        String pingPong =
                "(module (func $ping (export \"_start\") (call $pong)) (func $pong (call $ping)))";
        assertSpent(run(compiled, pingPong, 5_000), 5_000);
    }

    /** {@code _start} calls {@code $work} through a table {@code n} times in a loop. */
    static String indirectLoop(long n) {
        return "(module\n"
                + "  (type $t (func (param i32) (result i32)))\n"
                + "  (table 2 funcref) (elem (i32.const 1) $work)\n"
                + "  (func $work (type $t) (i32.mul (local.get 0) (i32.const 3)))\n"
                + "  (func (export \"_start\") (local $i i32) (local $acc i32)\n"
                + "    (local.set $i (i32.const "
                + n
                + "))\n"
                + "    (block $done (loop $l\n"
                + "      (br_if $done (i32.eqz (local.get $i)))\n"
                + "      (local.set $acc (call_indirect (type $t) (local.get $i) (i32.const 1)))\n"
                + "      (local.set $i (i32.sub (local.get $i) (i32.const 1)))\n"
                + "      (br $l)))))";
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void indirectCalls(boolean compiled) {
        long f0 = used(run(compiled, indirectLoop(0), 1L << 40));
        long f1 = used(run(compiled, indirectLoop(1), 1L << 40));
        long perCall = f1 - f0;
        assertThat(used(run(compiled, indirectLoop(1000), 1L << 40)))
                .isEqualTo(f0 + 1000 * perCall);
        CostTable dear = CostTable.builder().callIndirect(110).build();
        assertThat(used(run(compiled, indirectLoop(1000), 1L << 40, dear).outcome()))
                .isEqualTo(f0 + 1000 * (perCall + 100));
        long need = f0 + 1000 * perCall;
        assertSpent(run(compiled, indirectLoop(1000), need - 1), need - 1);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void endlessIndirectRecursionAndLoopsInIndirectCallees(boolean compiled) {
        String selfViaTable =
                "(module (type $v (func)) (table 1 funcref) (elem (i32.const 0) $f)\n"
                        + "  (func $f (export \"_start\") (call_indirect (type $v) (i32.const 0))))";
        assertSpent(run(compiled, selfViaTable, 4_000), 4_000);
        String spinViaTable =
                "(module (type $v (func)) (table 1 funcref) (elem (i32.const 0) $spin)\n"
                        + "  (func $spin (loop $l (br $l)))\n"
                        + "  (func (export \"_start\") (call_indirect (type $v) (i32.const 0))))";
        assertSpent(run(compiled, spinViaTable, 100_000), 100_000);
    }

    /**
     * Writes "x\n" to stdout {@code n} times, one {@code fd_write} per iteration (n < 0: forever).
     */
    static String writes(long n) {
        return "(module\n"
                + "  (import \"wasi_snapshot_preview1\" \"fd_write\"\n"
                + "    (func $fd_write (param i32 i32 i32 i32) (result i32)))\n"
                + "  (memory 1) (data (i32.const 0) \"\\10\\00\\00\\00\\02\\00\\00\\00\")\n"
                + "  (data (i32.const 16) \"x\\n\")\n"
                + "  (func (export \"_start\") (local $i i32)\n"
                + "    (local.set $i (i32.const "
                + n
                + "))\n"
                + "    (block $done (loop $l\n"
                + "      (br_if $done (i32.eqz (local.get $i)))\n"
                + "      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1)"
                + " (i32.const 8)))\n"
                + "      (local.set $i (i32.sub (local.get $i) (i32.const 1)))\n"
                + "      (br $l)))))";
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void hostCallsArePaidForAndRefusedWhenTheFuelRunsOut(boolean compiled) {
        long f0 = used(run(compiled, writes(0), 1L << 40));
        long f1 = used(run(compiled, writes(1), 1L << 40));
        long perWrite = f1 - f0;
        CostTable costs = CostTable.defaults();
        assertThat(perWrite).isGreaterThan(costs.hostCall());
        Guests.Run ten = run(compiled, writes(10), 1L << 40, costs);
        assertThat(used(ten.outcome())).isEqualTo(f0 + 10 * perWrite);
        assertThat(ten.stdout()).isEqualTo("x\n".repeat(10));
        CostTable dear = CostTable.builder().hostCall(costs.hostCall() + 1000).build();
        assertThat(used(run(compiled, writes(10), 1L << 40, dear).outcome()))
                .isEqualTo(f0 + 10 * (perWrite + 1000));

        // endless: five writes are paid for, the sixth cannot be, and is not made
        long budget = f0 + 5 * perWrite + perWrite / 2;
        Guests.Run endless = run(compiled, writes(-1), budget, costs);
        assertSpent(endless.outcome(), budget);
        assertThat(endless.stdout()).isEqualTo("x\n".repeat(5));
        assertThat(endless.outcome().usage().hostCalls()).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aBudgetOfZeroRunsNothingNotEvenTheStartFunction(boolean compiled) {
        assertThat(used(run(compiled, "(module (func (export \"_start\")))", 0))).isZero();
        assertSpent(run(compiled, "(module (func (export \"_start\") nop))", 0), 0);

        String hello = Guests.helloWat("hello");
        Guests.Run r = run(compiled, hello, 0, CostTable.defaults());
        assertSpent(r.outcome(), 0);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.outcome().usage().hostCalls()).isZero();

        String body = hello.strip();
        String start =
                body.substring(0, body.length() - 1)
                                .replace("(func (export \"_start\")", "(func $s")
                        + " (start $s) (func (export \"_start\")))";
        Guests.Run s = run(compiled, start, 0, CostTable.defaults());
        assertSpent(s.outcome(), 0);
        assertThat(s.stdout()).isEmpty();
        // and with enough fuel the start function does run
        Guests.Run ok = run(compiled, start, 1000, CostTable.defaults());
        assertThat(used(ok.outcome())).isPositive();
        assertThat(ok.stdout()).isEqualTo("hello");
    }
}
