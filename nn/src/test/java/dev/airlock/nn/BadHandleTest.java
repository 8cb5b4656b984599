package dev.airlock.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Graph and context handles that were never handed out get {@code invalid_argument}. */
class BadHandleTest {
    private static int exit(byte[] wasm) {
        NnGuests.Run run = NnGuests.run(wasm, NnGuests.classifierGrant().build());
        assertThat(run.outcome().exitCode()).as(run.outcome().message()).isNotNull();
        return run.exit();
    }

    @Test
    void unknownGraphs() {
        for (int g : new int[] {0, 1, -1, Integer.MIN_VALUE}) {
            assertThat(exit(Misuse.bare("(call $init (i32.const " + g + ") (i32.const 0x104))")))
                    .as("graph %d before any load", g)
                    .isEqualTo(NnErrno.INVALID_ARGUMENT);
        }
        assertThat(exit(Misuse.guest("", "(call $init (i32.const 1) (i32.const 0x104))")))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
    }

    @Test
    void unknownContexts() {
        for (int c : new int[] {1, -1, 0x7FFFFFFF}) {
            String ctx = "(i32.const " + c + ")";
            assertThat(
                            exit(
                                    Misuse.guest(
                                            Misuse.GOOD_TENSOR,
                                            "(call $set_input "
                                                    + ctx
                                                    + " (i32.const 0) (i32.const 0x200))")))
                    .isEqualTo(NnErrno.INVALID_ARGUMENT);
            assertThat(exit(Misuse.guest("", "(call $compute " + ctx + ")")))
                    .isEqualTo(NnErrno.INVALID_ARGUMENT);
            assertThat(
                            exit(
                                    Misuse.guest(
                                            "",
                                            "(call $get_output "
                                                    + ctx
                                                    + " (i32.const 0) (i32.const 0x400) (i32.const 64) (i32.const 0x108))")))
                    .isEqualTo(NnErrno.INVALID_ARGUMENT);
        }
        // a graph handle is not a context handle
        assertThat(exit(Misuse.bare("(call $compute (i32.const 0))")))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
    }

    @Test
    void handlesAreNotSharedBetweenRuns() {
        // a second run of the same policy cannot use the first run's context
        var grant = NnGuests.classifierGrant().build();
        var policy = WasiNn.grant(dev.airlock.core.Policy.builder(), grant).build();
        assertThat(NnGuests.run(Misuse.guest("", "(i32.const 0)"), policy).exit()).isZero();
        assertThat(NnGuests.run(Misuse.bare("(call $compute (i32.const 0))"), policy).exit())
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
    }
}
