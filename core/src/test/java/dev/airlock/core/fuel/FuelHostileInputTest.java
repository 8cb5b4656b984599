package dev.airlock.core.fuel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.Airlock;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.testing.Guests;
import org.junit.jupiter.api.Test;

/**
 * Hostile input to the metering pass itself: huge functions, deep nesting, many functions, a huge
 * {@code br_table}, many locals, and modules whose metered copy would be much bigger than they are.
 * Each is metered and runs with the exact fuel its instructions cost, or is refused with a clear
 * reason; the pass never crashes, overflows the stack, runs out of memory or hangs. (The malformed
 * and invalid modules of the spec suite go through the pass in {@code FuelSpecTest}.)
 */
class FuelHostileInputTest {
    private static final Airlock INTERPRETER = Airlock.builder().compile(false).build();

    static Outcome run(Airlock airlock, byte[] wasm, long fuel) {
        Policy p = Policy.builder().limits(Limits.builder().fuel(fuel).build()).build();
        return Guests.run(airlock, wasm, p).outcome();
    }

    static void assertUsed(Outcome o, long fuel) {
        assertThat(o.status()).as(o.kind() + ": " + o.message()).isEqualTo(Status.OK);
        assertThat(o.usage().fuel()).isEqualTo(fuel);
    }

    static void assertSpent(Outcome o, long budget) {
        assertThat(o.status()).as(o.kind() + ": " + o.message()).isEqualTo(Status.LIMIT);
        assertThat(o.limitKind()).isEqualTo(LimitKind.FUEL);
        assertThat(o.usage().fuel()).isEqualTo(budget);
    }

    static final byte[] CONST_DROP = {0x41, 0x01, 0x1A}; // i32.const 1, drop

    /** A body (no locals) of {@code code} then {@code end}. */
    static byte[] body(WasmBytes code) {
        return WasmBytes.of().u32(0).bytes(code.toByteArray()).u8(0x0B).toByteArray();
    }

    @Test
    void aFunctionOfAMillionInstructions() {
        byte[] wasm = WasmBytes.module(body(WasmBytes.of().repeat(CONST_DROP, 500_000)));
        Metered m = Metering.instrument(wasm, CostTable.defaults());
        assertThat(m.charges()).isEqualTo(1); // one straight segment
        // far too big for one JVM method: the compiler leaves it to the interpreter
        assertUsed(run(Guests.AIRLOCK, wasm, 2_000_000), 1_000_000);
        // charged at its start: one less and none of it runs
        assertSpent(run(Guests.AIRLOCK, wasm, 999_999), 999_999);
    }

    @Test
    void tenThousandNestedBlocksLoopsAndIfs() {
        int n = 10_000;
        WasmBytes code =
                WasmBytes.of()
                        .repeat(new byte[] {0x02, 0x40}, n) // block
                        .repeat(new byte[] {0x03, 0x40}, n) // loop
                        .repeat(new byte[] {0x41, 0x01, 0x04, 0x40}, n) // i32.const 1, if
                        .u8(0x01) // nop
                        .repeat(new byte[] {0x0B}, 3 * n);
        byte[] wasm = WasmBytes.module(body(code));
        Metered m = Metering.instrument(wasm, CostTable.defaults());
        assertThat(m.charges()).isEqualTo(n + 1L);
        // blocks, loops and ends are free; each i32.const and if costs 1
        Outcome o = run(Guests.AIRLOCK, wasm, 1L << 40);
        assertUsed(o, 2L * n + 1);
        assertUsed(run(INTERPRETER, wasm, 1L << 40), 2L * n + 1);
    }

    @Test
    void twentyThousandFunctions() {
        int n = 20_000;
        byte[][] bodies = new byte[n + 1][];
        byte[] nop = body(WasmBytes.of().u8(0x01));
        for (int i = 0; i < n; i++) {
            bodies[i] = nop;
        }
        WasmBytes calls = WasmBytes.of();
        for (int i = 0; i < n; i++) {
            calls.u8(0x10).u32(i);
        }
        bodies[n] = body(calls);
        byte[] wasm = WasmBytes.module(bodies);
        Metered m = Metering.instrument(wasm, CostTable.defaults());
        assertThat(m.functions()).isEqualTo(n + 1);
        long need = n * (CostTable.defaults().call() + 1);
        assertUsed(run(INTERPRETER, wasm, 1L << 40), need);
        assertSpent(run(INTERPRETER, wasm, need / 2), need / 2);
    }

    @Test
    void aBrTableOfAMillionTargets() {
        int n = 1_000_000;
        WasmBytes code = WasmBytes.of().u8(0x02, 0x40, 0x41, 0x07, 0x0E).u32(n);
        code.repeat(new byte[] {0x00}, n).u8(0x00).u8(0x0B);
        byte[] wasm = WasmBytes.module(body(code));
        Metered m = Metering.instrument(wasm, CostTable.defaults());
        assertThat(m.charges()).isEqualTo(1);
        // the engine's compiler takes minutes over a table this size: interpreted
        assertUsed(run(INTERPRETER, wasm, 1L << 40), 2);
    }

    @Test
    void manyLocals() {
        // 50,000 i64 locals, the last one used: local indices move by one in the metered twin
        byte[] body =
                WasmBytes.of()
                        .u32(1)
                        .u32(50_000)
                        .u8(0x7E)
                        .u8(0x42, 0x05, 0x21)
                        .u32(49_999) // i64.const 5, local.set 49999
                        .u8(0x20)
                        .u32(49_999)
                        .u8(0x50, 0x04, 0x40, 0x00, 0x0B) // i64.eqz, if, unreachable, end
                        .u8(0x0B)
                        .toByteArray();
        byte[] wasm = WasmBytes.module(body);
        assertUsed(run(Guests.AIRLOCK, wasm, 1L << 40), 5);
        assertUsed(run(INTERPRETER, wasm, 1L << 40), 5);

        // 2^32 - 1 locals, twice: the engine refuses it before metering, the pass refuses it too
        byte[] huge =
                WasmBytes.module(
                        WasmBytes.of()
                                .u32(2)
                                .u32(0xFFFF_FFFFL)
                                .u8(0x7F)
                                .u32(0xFFFF_FFFFL)
                                .u8(0x7F)
                                .u8(0x0B)
                                .toByteArray());
        assertThatThrownBy(() -> Metering.instrument(huge, CostTable.defaults()))
                .isInstanceOf(MeteringException.class)
                .hasMessageContaining("too many locals");
        Outcome o = run(Guests.AIRLOCK, huge, 1L << 40);
        assertThat(o.status()).isEqualTo(Status.REJECTED);
    }

    /**
     * Many functions of a type with many parameters: each wrapper passes every parameter on, so the
     * metered copy would be far bigger than the module. It is refused, not built.
     */
    @Test
    void aModuleWhoseMeteredCopyWouldExplode() {
        int params = 15_000;
        int functions = 15_000;
        WasmBytes types = WasmBytes.of().u32(1).u8(0x60).u32(params);
        types.repeat(new byte[] {0x7F}, params).u32(0);
        WasmBytes funcs = WasmBytes.of().u32(functions).repeat(new byte[] {0x00}, functions);
        WasmBytes code =
                WasmBytes.of().u32(functions).repeat(new byte[] {0x02, 0x00, 0x0B}, functions);
        byte[] wasm =
                WasmBytes.header()
                        .section(1, types)
                        .section(3, funcs)
                        .section(10, code)
                        .toByteArray();
        assertThat(wasm.length).isLessThan(100_000);
        assertThatThrownBy(() -> Metering.instrument(wasm, CostTable.defaults()))
                .isInstanceOf(MeteringException.class)
                .hasMessageContaining("too large to meter");
        // what the engine says of it
        Outcome o = run(INTERPRETER, wasm, 1L << 40);
        assertThat(o.status()).isEqualTo(Status.REJECTED);
        assertThat(o.kind()).isIn("unmeterable", "no-entry-point", "invalid");
    }
}
