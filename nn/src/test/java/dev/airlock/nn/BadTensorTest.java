package dev.airlock.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.event.Decision;
import org.junit.jupiter.api.Test;

/**
 * Tensors that do not match the model, or make no sense, get {@code invalid_argument}; absurd sizes
 * are refused before anything is allocated ({@code too_large}, rule {@code nn.quota.tensor}).
 */
class BadTensorTest {
    private static NnGuests.Run run(byte[] wasm) {
        NnGuests.Run run = NnGuests.run(wasm, NnGuests.classifierGrant().build());
        assertThat(run.outcome().exitCode()).as(run.outcome().message()).isNotNull();
        return run;
    }

    private static int set(String tensor) {
        return run(Misuse.guest(tensor, Misuse.SET)).exit();
    }

    @Test
    void theGoodTensorIsAccepted() {
        assertThat(set(Misuse.GOOD_TENSOR)).isEqualTo(NnErrno.SUCCESS);
    }

    @Test
    void wrongOrUnknownTypes() {
        assertThat(set(Misuse.tensor(0x300, 2, TensorType.I32.code(), 0x1000, 16)))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
        assertThat(set(Misuse.tensor(0x300, 2, TensorType.F64.code(), 0x1000, 32)))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
        assertThat(set(Misuse.tensor(0x300, 2, 6, 0x1000, 16))).isEqualTo(NnErrno.INVALID_ARGUMENT);
        assertThat(set(Misuse.tensor(0x300, 2, 255, 0x1000, 16)))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
    }

    @Test
    void wrongShapesOrLengths() {
        // rank 1, rank 3 (dims 1, 4, then whatever follows), dims [4, 1]
        assertThat(set(Misuse.tensor(0x304, 1, 1, 0x1000, 16))).isEqualTo(NnErrno.INVALID_ARGUMENT);
        assertThat(set(Misuse.tensor(0x300, 3, 1, 0x1000, 16))).isEqualTo(NnErrno.INVALID_ARGUMENT);
        String swapped =
                "(i32.store (i32.const 0x310) (i32.const 4)) (i32.store (i32.const 0x314) (i32.const 1))";
        assertThat(set(swapped + Misuse.tensor(0x310, 2, 1, 0x1000, 16)))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
        // data one byte short, one byte long, empty
        assertThat(set(Misuse.tensor(0x300, 2, 1, 0x1000, 15))).isEqualTo(NnErrno.INVALID_ARGUMENT);
        assertThat(set(Misuse.tensor(0x300, 2, 1, 0x1000, 17))).isEqualTo(NnErrno.INVALID_ARGUMENT);
        assertThat(set(Misuse.tensor(0x300, 2, 1, 0x1000, 0))).isEqualTo(NnErrno.INVALID_ARGUMENT);
        // rank beyond 8
        assertThat(set(Misuse.tensor(0x300, 9, 1, 0x1000, 16))).isEqualTo(NnErrno.INVALID_ARGUMENT);
        assertThat(set(Misuse.tensor(0x300, -1, 1, 0x1000, 16)))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
        // an input the model does not have
        assertThat(
                        run(Misuse.guest(
                                        Misuse.GOOD_TENSOR,
                                        "(call $set_input (i32.load (i32.const 0x104)) (i32.const 1) (i32.const 0x200))"))
                                .exit())
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
    }

    @Test
    void absurdDimensionsAreRefusedBeforeAnyAllocation() {
        // eight dimensions of 2^32-1: the product overflows 64 bits
        String dims = "(memory.fill (i32.const 0x400) (i32.const 0xFF) (i32.const 32))";
        NnGuests.Run r =
                run(Misuse.guest(dims + Misuse.tensor(0x400, 8, 1, 0x1000, 16), Misuse.SET));
        assertThat(r.exit()).isEqualTo(NnErrno.TOO_LARGE);
        assertThat(r.outcome().denials())
                .singleElement()
                .matches(d -> d.rule().equals("nn.quota.tensor"));
        assertThat(r.nn("set_input").get(0).decision()).isEqualTo(Decision.DENY);
        // 2^31 x 4 bytes: no overflow, but far beyond the quota
        String big =
                "(i32.store (i32.const 0x400) (i32.const 1)) (i32.store (i32.const 0x404) (i32.const 0x80000000))";
        assertThat(set(big + Misuse.tensor(0x400, 2, 1, 0x1000, 16))).isEqualTo(NnErrno.TOO_LARGE);
    }

    @Test
    void outOfOrderCalls() {
        // compute before any input, output before any compute, an output the model does not have
        assertThat(run(Misuse.guest("", Misuse.COMPUTE)).exit())
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
        String get =
                "(call $get_output (i32.load (i32.const 0x104)) (i32.const %d) (i32.const 0x400) (i32.const %d) (i32.const 0x108))";
        assertThat(
                        run(Misuse.guest(
                                        Misuse.GOOD_TENSOR + "(drop " + Misuse.SET + ")",
                                        String.format(get, 0, 64)))
                                .exit())
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
        String computed =
                Misuse.GOOD_TENSOR
                        + "(call $ok (i32.const 3) "
                        + Misuse.SET
                        + ")"
                        + "(call $ok (i32.const 4) "
                        + Misuse.COMPUTE
                        + ")";
        assertThat(run(Misuse.guest(computed, String.format(get, 2, 64))).exit())
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
        // the scores are 12 bytes: an 11-byte buffer is too small
        assertThat(run(Misuse.guest(computed, String.format(get, 0, 11))).exit())
                .isEqualTo(NnErrno.TOO_LARGE);
        assertThat(run(Misuse.guest(computed, String.format(get, 0, 12))).exit())
                .isEqualTo(NnErrno.SUCCESS);
    }
}
