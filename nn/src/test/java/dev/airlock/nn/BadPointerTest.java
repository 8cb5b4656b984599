package dev.airlock.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Pointers and ranges outside guest memory get {@code invalid_argument} (a guest without memory
 * {@code missing_memory}); nothing is written and the run goes on.
 */
class BadPointerTest {
    private static final String END = "(i32.const 65536)";

    private static int exit(byte[] wasm) {
        NnGuests.Run run =
                NnGuests.run(wasm, NnGuests.classifierGrant().maxModelBytes(1 << 20).build());
        assertThat(run.outcome().exitCode()).as(run.outcome().message()).isNotNull();
        return run.exit();
    }

    @Test
    void loadByName() {
        assertThat(
                        exit(
                                Misuse.bare(
                                        "(call $load_by_name (i32.const -1) (i32.const 1) (i32.const 0x100))")))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
        assertThat(
                        exit(
                                Misuse.bare(
                                        "(call $load_by_name (i32.const 65535) (i32.const 2) (i32.const 0x100))")))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
        assertThat(
                        exit(
                                Misuse.bare(
                                        "(call $load_by_name (i32.const 64) (i32.const -1) (i32.const 0x100))")))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
        // the model would load, but there is nowhere to put its handle
        assertThat(
                        exit(
                                Misuse.bare(
                                        "(call $load_by_name (i32.const 64) (i32.const 1) (i32.const 65533))")))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
    }

    @Test
    void load() {
        assertThat(
                        exit(
                                Misuse.bare(
                                        "(call $load (i32.const 65532) (i32.const 1) (i32.const 1) (i32.const 0) (i32.const 0x100))")))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
        // a builder pointing past the end
        String builder =
                "(i32.store (i32.const 0x500) "
                        + END
                        + ") (i32.store (i32.const 0x504) (i32.const 8))";
        assertThat(
                        exit(
                                NnGuests.module(
                                        Misuse.DATA
                                                + "(func (export \"_start\") "
                                                + builder
                                                + " (call $exit (call $load (i32.const 0x500) (i32.const 1) (i32.const 1) (i32.const 0) (i32.const 0x100))))")))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
    }

    @Test
    void initExecutionContext() {
        assertThat(exit(Misuse.guest("", "(call $init (i32.const 0) (i32.const -4))")))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
    }

    @Test
    void setInput() {
        // the record itself, its dimensions, its data
        assertThat(
                        exit(
                                Misuse.guest(
                                        "",
                                        "(call $set_input (i32.load (i32.const 0x104)) (i32.const 0) (i32.const 65530))")))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
        assertThat(exit(Misuse.guest(Misuse.tensor(65532, 2, 1, 0x1000, 16), Misuse.SET)))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
        assertThat(exit(Misuse.guest(Misuse.tensor(0x300, 2, 1, 65530, 16), Misuse.SET)))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
        assertThat(exit(Misuse.guest(Misuse.tensor(0x300, 2, 1, -8, 16), Misuse.SET)))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
    }

    @Test
    void getOutput() {
        String computed =
                Misuse.GOOD_TENSOR
                        + "(call $ok (i32.const 3) "
                        + Misuse.SET
                        + ")"
                        + "(call $ok (i32.const 4) "
                        + Misuse.COMPUTE
                        + ")";
        String get =
                "(call $get_output (i32.load (i32.const 0x104)) (i32.const 0) (i32.const %d) (i32.const %d) (i32.const %d))";
        assertThat(exit(Misuse.guest(computed, String.format(get, 65530, 12, 0x108))))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
        assertThat(exit(Misuse.guest(computed, String.format(get, 0x400, 64, 65534))))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
        assertThat(exit(Misuse.guest(computed, String.format(get, 0x400, -1, 0x108))))
                .isEqualTo(NnErrno.INVALID_ARGUMENT);
        // nothing was written on the way: the byte count is still 0
        assertThat(
                        exit(
                                Misuse.guest(
                                        computed
                                                + "(drop "
                                                + String.format(get, 0x400, 64, 65534)
                                                + ")",
                                        "(i32.load (i32.const 0x108))")))
                .isZero();
        assertThat(exit(Misuse.guest(computed, String.format(get, 0x400, 64, 0x108))))
                .isEqualTo(NnErrno.SUCCESS);
    }

    @Test
    void aGuestWithoutMemory() {
        byte[] wasm =
                com.dylibso.chicory.wabt.Wat2Wasm.parse(
                        """
                        (module
                          (import "wasi_ephemeral_nn" "load_by_name" (func $l (param i32 i32 i32) (result i32)))
                          (import "wasi_ephemeral_nn" "compute" (func $c (param i32) (result i32)))
                          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                          (func (export "_start")
                            (call $exit (i32.add (i32.mul (i32.const 10) (call $c (i32.const 0)))
                                                 (call $l (i32.const 0) (i32.const 1) (i32.const 0))))))
                        """);
        assertThat(exit(wasm)).isEqualTo(10 * NnErrno.INVALID_ARGUMENT + NnErrno.MISSING_MEMORY);
    }
}
