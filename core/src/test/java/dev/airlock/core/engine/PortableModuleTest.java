package dev.airlock.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.Limits;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.PortableModule;
import dev.airlock.core.Status;
import dev.airlock.core.fuel.FuelExport;
import dev.airlock.core.testing.Guests;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Airlock#portable}: another engine that runs the portable module and charges host calls as
 * {@link PortableModule} says reads from the exported global the fuel {@link Airlock#run} reports.
 * Here the other engine is Chicory itself, without Airlock's metering or mediation: a plain
 * instance of the portable bytes, its one host function charging by hand.
 */
class PortableModuleTest {
    private static final Airlock AIRLOCK = Guests.AIRLOCK;

    private static Policy fuel(long budget) {
        return Policy.builder().limits(Limits.builder().fuel(budget).build()).build();
    }

    private static String loop(int n) {
        return "(module (func (export \"_start\") (local $i i32)"
                + " (local.set $i (i32.const "
                + n
                + "))"
                + " (block $done (loop $l (br_if $done (i32.eqz (local.get $i)))"
                + " (local.set $i (i32.sub (local.get $i) (i32.const 1))) (br $l)))))";
    }

    /**
     * Instantiates the portable module plainly (Chicory then runs its start function and _start).
     */
    private static long usedElsewhere(PortableModule p, ImportValues imports) {
        Instance i = Instance.builder(Parser.parse(p.bytes())).withImportValues(imports).build();
        long left = i.exports().global(p.fuelExport()).getValue();
        return left < 0 ? p.fuelBudget() : p.fuelBudget() - left;
    }

    @Test
    void aLoopUsesTheSameFuelElsewhere() throws Exception {
        for (int n : new int[] {0, 1, 1000}) {
            byte[] wasm = Guests.wat(loop(n));
            GuestModule m = AIRLOCK.load(wasm);
            PortableModule p = AIRLOCK.portable(m, fuel(1_000_000));
            assertThat(p.metered()).isTrue();
            assertThat(p.fuelExport()).isEqualTo(FuelExport.NAME);
            Outcome o = Guests.run(wasm, fuel(1_000_000)).outcome();
            assertThat(o.status()).isEqualTo(Status.OK);
            assertThat(usedElsewhere(p, ImportValues.builder().build()))
                    .as("n=%d", n)
                    .isEqualTo(o.usage().fuel())
                    .isEqualTo(8L * n + 5);
        }
    }

    @Test
    void hostCallsAreChargedAsTheMediatorCharges() throws Exception {
        String text = "x".repeat(3000); // 3000 bytes copied: 3000 * 128 / 1024 = 375 fuel
        byte[] wasm = Guests.wat(Guests.helloWat(text));
        GuestModule m = AIRLOCK.load(wasm);
        PortableModule p = AIRLOCK.portable(m, fuel(1_000_000));
        Outcome o = Guests.run(wasm, fuel(1_000_000)).outcome();
        assertThat(o.status()).as(o.message()).isEqualTo(Status.OK);
        long[] writes = {0};
        HostFunction fdWrite =
                new HostFunction(
                        "wasi_snapshot_preview1",
                        "fd_write",
                        FunctionType.of(
                                List.of(ValType.I32, ValType.I32, ValType.I32, ValType.I32),
                                List.of(ValType.I32)),
                        (inst, args) -> {
                            var g = inst.exports().global(p.fuelExport());
                            g.setValue(g.getValue() - p.hostCallFuel()); // before the call
                            int iov = (int) args[1];
                            int len = inst.memory().readInt(iov + 4);
                            inst.memory().writeI32((int) args[3], len);
                            writes[0]++;
                            g.setValue(g.getValue() - (len * p.hostFuelPerKiB() >>> 10)); // after
                            return new long[] {0};
                        });
        long used = usedElsewhere(p, ImportValues.builder().addFunction(fdWrite).build());
        assertThat(writes[0]).isEqualTo(1);
        assertThat(used).isEqualTo(o.usage().fuel());
    }

    @Test
    void aStartFunctionRunsOnTheBudget() throws Exception {
        byte[] wasm =
                Guests.wat(
                        "(module (global $g (mut i32) (i32.const 0))"
                                + " (func $init (global.set $g (i32.const 7))) (start $init)"
                                + " (func (export \"_start\") (drop (global.get $g))))");
        PortableModule p = AIRLOCK.portable(AIRLOCK.load(wasm), fuel(1000));
        Outcome o = Guests.run(wasm, fuel(1000)).outcome();
        assertThat(usedElsewhere(p, ImportValues.builder().build()))
                .isEqualTo(o.usage().fuel())
                .isPositive();
    }

    @Test
    void runningOutLeavesTheGlobalNegative() throws Exception {
        byte[] wasm = Guests.wat(loop(1000));
        PortableModule p = AIRLOCK.portable(AIRLOCK.load(wasm), fuel(100));
        Instance i = Instance.builder(Parser.parse(p.bytes())).withStart(false).build();
        assertThatThrownBy(() -> i.export("_start").apply()).isInstanceOf(RuntimeException.class);
        assertThat(i.exports().global(p.fuelExport()).getValue()).isNegative();
    }

    @Test
    void withoutABudgetTheModuleIsItsOwnBytes() throws Exception {
        byte[] wasm = Guests.wat(loop(3));
        PortableModule p = AIRLOCK.portable(AIRLOCK.load(wasm), Policy.defaults());
        assertThat(p.metered()).isFalse();
        assertThat(p.bytes()).isEqualTo(wasm);
        assertThat(p.fuelBudget()).isEqualTo(-1);
    }

    @Test
    void aModuleThatAlreadyExportsTheNameIsRefused() throws Exception {
        byte[] wasm =
                Guests.wat(
                        "(module (global (export \"airlock:fuel\") i32 (i32.const 1))"
                                + " (func (export \"_start\")))");
        GuestModule m = AIRLOCK.load(wasm);
        assertThatThrownBy(() -> AIRLOCK.portable(m, fuel(10)))
                .isInstanceOf(ModuleRejectedException.class)
                .hasMessageContaining("already exports airlock:fuel");
    }
}
