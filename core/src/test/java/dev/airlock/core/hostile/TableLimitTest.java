package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Airlock;
import dev.airlock.core.Limits;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Usage;
import dev.airlock.core.testing.Guests;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guests that try to grow tables past {@link Limits#tableElements()}: {@code table.grow} returns -1
 * as WebAssembly specifies, and a module whose table starts above the cap never runs.
 */
class TableLimitTest {
    private static final Policy POLICY =
            Policy.builder().limits(Limits.builder().tableElements(10).build()).build();

    private static final Airlock INTERPRETER = Airlock.builder().compile(false).build();

    private static Airlock airlock(boolean compiled) {
        return compiled ? Guests.AIRLOCK : INTERPRETER;
    }

    /**
     * Grows {@code $t} one element at a time until refused and prints how many it got, then asks
     * for absurd growth (2^31-1, 2^32-1 as unsigned, 2^31) and prints each result, then exits with
     * the final size.
     */
    private static byte[] bomb(String table, String elem) {
        return Guests.wat(
                "(module\n"
                        + Hostile.IMPORTS
                        + "(memory (export \"memory\") 1)\n"
                        + table
                        + "\n"
                        + Hostile.HELPERS
                        + """
                        (func (export "_start") (local $grown i32)
                          (block $refused
                            (loop $more
                              (br_if $refused
                                (i32.eq (table.grow $t (ref.null\s"""
                        + elem
                        + """
                        ) (i32.const 1)) (i32.const -1)))
                              (local.set $grown (i32.add (local.get $grown) (i32.const 1)))
                              (br $more)))
                          (call $say (local.get $grown))
                          (call $say (table.grow $t (ref.null\s"""
                        + elem
                        + """
                        ) (i32.const 0x7fffffff)))
                          (call $say (table.grow $t (ref.null\s"""
                        + elem
                        + """
                        ) (i32.const -1)))
                          (call $say (table.grow $t (ref.null\s"""
                        + elem
                        + """
                        ) (i32.const 0x80000000)))
                          (call $say (table.grow $t (ref.null\s"""
                        + elem
                        + """
                        ) (i32.const 0)))
                          (call $proc_exit (table.size $t)))
                        )
                        """);
    }

    private static void assertCapped(Hostile.Result r, int grown) {
        Outcome o = r.outcome();
        assertThat(o.status()).as("%s %s", o, r.stdout()).isEqualTo(Status.EXIT);
        assertThat(o.exitCode()).isEqualTo(10);
        assertThat(o.message()).isEqualTo("exited with code 10");
        assertThat(r.stdout()).isEqualTo(grown + "\n-1\n-1\n-1\n10\n");
    }

    @ParameterizedTest(name = "compiled={0}")
    @ValueSource(booleans = {true, false})
    void growBombWithoutDeclaredMaximumStopsAtTheCap(boolean compiled) {
        assertCapped(
                Hostile.run(airlock(compiled), bomb("(table $t 1 funcref)", "func"), POLICY), 9);
    }

    @ParameterizedTest(name = "compiled={0}")
    @ValueSource(booleans = {true, false})
    void declaredMaximumAboveTheCapIsCapped(boolean compiled) {
        assertCapped(
                Hostile.run(
                        airlock(compiled), bomb("(table $t 3 1000000 funcref)", "func"), POLICY),
                7);
    }

    @ParameterizedTest(name = "compiled={0}")
    @ValueSource(booleans = {true, false})
    void externrefTableIsCappedToo(boolean compiled) {
        assertCapped(
                Hostile.run(
                        airlock(compiled),
                        bomb("(table $f 2 funcref) (table $t 0 externref)", "extern"),
                        POLICY),
                10);
    }

    @ParameterizedTest(name = "compiled={0}")
    @ValueSource(booleans = {true, false})
    void growthOfAnEmptyTableAtAZeroCapFails(boolean compiled) {
        Hostile.Result r =
                Hostile.run(
                        airlock(compiled),
                        Hostile.guest(
                                """
                                (table $t 0 funcref)
                                (func (export "_start")
                                  (call $say (table.grow $t (ref.null func) (i32.const 1)))
                                  (call $say (table.size $t)))
                                """),
                        Policy.builder().limits(Limits.builder().tableElements(0).build()).build());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout()).isEqualTo("-1\n0\n");
    }

    @ParameterizedTest(name = "elements={0}")
    @ValueSource(ints = {11, 10000000})
    void initialTableAboveTheCapIsRejectedBeforeRunning(int elements) {
        Hostile.Result r =
                Hostile.run(
                        Hostile.guest(
                                "(table $t "
                                        + elements
                                        + " funcref)\n"
                                        + """
                                        (data (i32.const 256) "ran")
                                        (func (export "_start")
                                          (call $print (i32.const 256) (i32.const 3)))
                                        """),
                        POLICY);
        Outcome o = r.outcome();
        assertThat(o.status()).isEqualTo(Status.REJECTED);
        assertThat(o.kind()).isEqualTo("table");
        assertThat(o.message())
                .isEqualTo(
                        "module rejected: table 0: initial size "
                                + elements
                                + " is above the table limit of 10");
        assertThat(o.usage()).isEqualTo(Usage.NONE);
        assertThat(r.stdout()).isEmpty();
        BadModuleTest.onlyTheRefusal(r);
    }

    @ParameterizedTest(name = "compiled={0}")
    @ValueSource(booleans = {true, false})
    void secondTableAboveTheCapIsRejected(boolean compiled) {
        Hostile.Result r =
                Hostile.run(
                        airlock(compiled),
                        Hostile.guest(
                                """
                                (table $a 1 funcref)
                                (table $b 50 externref)
                                (func (export "_start"))
                                """),
                        POLICY);
        assertThat(r.outcome().status()).isEqualTo(Status.REJECTED);
        assertThat(r.outcome().kind()).isEqualTo("table");
        assertThat(r.outcome().message())
                .isEqualTo(
                        "module rejected: table 1: initial size 50 is above the table limit of 10");
    }
}
