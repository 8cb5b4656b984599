package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Airlock;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Usage;
import dev.airlock.core.event.LifecycleEvent;
import dev.airlock.core.testing.Guests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guests that try to take more linear memory than {@link Limits#memoryBytes()} allows: growth fails
 * as WebAssembly specifies ({@code memory.grow} returns -1), a trap at the cap is a memory limit,
 * and a module that starts above the cap never runs.
 */
class MemoryLimitTest {
    /** 1 MiB = 16 pages. */
    private static final Policy POLICY =
            Policy.builder().limits(Limits.builder().memoryBytes(1L << 20).build()).build();

    private static final Airlock INTERPRETER = Airlock.builder().compile(false).build();

    private static Airlock airlock(boolean compiled) {
        return compiled ? Guests.AIRLOCK : INTERPRETER;
    }

    /**
     * Grows one page at a time until refused, printing how many pages it got, then asks for huge
     * and "negative" growth, printing both results, and exits with the final size in pages.
     */
    private static String bomb(String memory) {
        return "(module\n"
                + Hostile.IMPORTS
                + memory
                + "\n"
                + Hostile.HELPERS
                + """
                (func (export "_start") (local $grown i32)
                  (block $refused
                    (loop $more
                      (br_if $refused (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
                      (local.set $grown (i32.add (local.get $grown) (i32.const 1)))
                      (br $more)))
                  (call $say (local.get $grown))
                  (call $say (memory.grow (i32.const 0x10000)))
                  (call $say (memory.grow (i32.const -1)))
                  (call $say (memory.grow (i32.const 0)))
                  ;; the last byte below the cap is usable
                  (i32.store8 (i32.const 1048575) (i32.const 7))
                  (call $say (i32.load8_u (i32.const 1048575)))
                  (call $proc_exit (memory.size)))
                )
                """;
    }

    private static void assertCapped(Hostile.Result r, int grown) {
        Outcome o = r.outcome();
        assertThat(o.status()).isEqualTo(Status.EXIT);
        assertThat(o.exitCode()).isEqualTo(16);
        assertThat(o.kind()).isNull();
        assertThat(o.message()).isEqualTo("exited with code 16");
        assertThat(r.stdout()).isEqualTo(grown + "\n-1\n-1\n16\n7\n");
        assertThat(o.usage().memoryPeakBytes()).isEqualTo(1L << 20);
        assertThat(o.denials()).isEmpty();
    }

    @ParameterizedTest(name = "compiled={0}")
    @ValueSource(booleans = {true, false})
    void growBombWithoutDeclaredMaximumStopsAtTheCap(boolean compiled) {
        Hostile.Result r =
                Hostile.run(
                        airlock(compiled),
                        Guests.wat(bomb("(memory (export \"memory\") 1)")),
                        POLICY);
        assertCapped(r, 15);
    }

    @ParameterizedTest(name = "compiled={0}")
    @ValueSource(booleans = {true, false})
    void declaredMaximumAboveTheCapIsCapped(boolean compiled) {
        Hostile.Result r =
                Hostile.run(
                        airlock(compiled),
                        Guests.wat(bomb("(memory (export \"memory\") 2 65536)")),
                        POLICY);
        assertCapped(r, 14);
    }

    @Test
    void declaredMaximumBelowTheCapIsKept() {
        Hostile.Result r =
                Hostile.run(
                        Guests.wat(
                                "(module\n"
                                        + Hostile.IMPORTS
                                        + "(memory (export \"memory\") 1 3)\n"
                                        + Hostile.HELPERS
                                        + """
                                        (func (export "_start")
                                          (call $say (memory.grow (i32.const 2)))
                                          (call $say (memory.grow (i32.const 1)))
                                          (call $proc_exit (memory.size))))
                                        """),
                        POLICY);
        assertThat(r.outcome().status()).isEqualTo(Status.EXIT);
        assertThat(r.outcome().exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("1\n-1\n");
        assertThat(r.outcome().usage().memoryPeakBytes()).isEqualTo(3 * Limits.PAGE);
    }

    @ParameterizedTest(name = "compiled={0}")
    @ValueSource(booleans = {true, false})
    void trapAfterFailedGrowthIsAMemoryLimit(boolean compiled) {
        Hostile.Result r =
                Hostile.run(
                        airlock(compiled),
                        Hostile.guest(
                                """
                                (func (export "_start")
                                  (loop $more
                                    (br_if $more (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
                                  ;; like an allocator that gives up
                                  unreachable)
                                """),
                        POLICY);
        Outcome o = r.outcome();
        assertThat(o.status()).isEqualTo(Status.LIMIT);
        assertThat(o.kind()).isEqualTo("memory");
        assertThat(o.limitKind()).isEqualTo(LimitKind.MEMORY);
        assertThat(o.message())
                .isEqualTo(
                        "limit exceeded: memory (1MiB; the guest trapped with its memory at the"
                                + " cap: unreachable)");
        assertThat(o.usage().memoryPeakBytes()).isEqualTo(1L << 20);
        assertThat(r.lifecycle())
                .containsExactly(
                        LifecycleEvent.Type.MODULE_ACCEPTED,
                        LifecycleEvent.Type.INSTANCE_STARTED,
                        LifecycleEvent.Type.LIMIT_HIT,
                        LifecycleEvent.Type.OUTCOME);
    }

    @Test
    void outOfBoundsAccessAtTheCapIsAMemoryLimit() {
        Hostile.Result r =
                Hostile.run(
                        Hostile.guest(
                                """
                                (func (export "_start")
                                  (loop $more
                                    (br_if $more (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
                                  ;; one past the end of the capped memory
                                  (i32.store8 (i32.const 1048576) (i32.const 1)))
                                """),
                        POLICY);
        assertThat(r.outcome().status()).isEqualTo(Status.LIMIT);
        assertThat(r.outcome().kind()).isEqualTo("memory");
        assertThat(r.outcome().message())
                .isEqualTo(
                        "limit exceeded: memory (1MiB; the guest trapped with its memory at the"
                                + " cap: out-of-bounds-memory)");
    }

    @Test
    void trapBelowTheCapIsAnOrdinaryTrap() {
        Hostile.Result r =
                Hostile.run(
                        Hostile.guest(
                                """
                                (func (export "_start")
                                  (drop (memory.grow (i32.const 3)))
                                  unreachable)
                                """),
                        POLICY);
        assertThat(r.outcome().status()).isEqualTo(Status.TRAP);
        assertThat(r.outcome().kind()).isEqualTo("unreachable");
        assertThat(r.outcome().usage().memoryPeakBytes()).isEqualTo(4 * Limits.PAGE);
    }

    @ParameterizedTest(name = "pages={0}")
    @ValueSource(ints = {17, 65536})
    void initialMemoryAboveTheCapIsRejectedBeforeRunning(int pages) {
        Hostile.Result r =
                Hostile.run(
                        Guests.wat(
                                "(module\n"
                                        + Hostile.IMPORTS
                                        + "(memory (export \"memory\") "
                                        + pages
                                        + ")\n"
                                        + Hostile.HELPERS
                                        + """
                                        (data (i32.const 256) "ran")
                                        (func (export "_start")
                                          (call $print (i32.const 256) (i32.const 3))))
                                        """),
                        POLICY);
        Outcome o = r.outcome();
        assertThat(o.status()).isEqualTo(Status.REJECTED);
        assertThat(o.kind()).isEqualTo("memory");
        String size = pages == 17 ? "1088KiB" : "4GiB";
        assertThat(o.message())
                .isEqualTo(
                        "module rejected: memory 0: initial size "
                                + size
                                + " is above the memory limit of 1MiB");
        assertThat(o.usage()).isEqualTo(Usage.NONE);
        assertThat(o.exitCode()).isNull();
        // the module never ran: no output, no host call; the events hold only the refusal
        assertThat(r.stdout()).isEmpty();
        BadModuleTest.onlyTheRefusal(r);
    }

    @Test
    void manyRunsOfTheBombDoNotExhaustTheHost() {
        // 40 runs × 1 MiB: memory is released after each run
        byte[] wasm = Guests.wat(bomb("(memory (export \"memory\") 1)"));
        for (int i = 0; i < 40; i++) {
            assertCapped(Hostile.run(wasm, POLICY), 15);
        }
    }
}
