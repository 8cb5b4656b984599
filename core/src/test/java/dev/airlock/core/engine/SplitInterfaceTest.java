package dev.airlock.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.AnnotatedInstruction;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.OpCode;
import dev.airlock.core.fuel.CostTable;
import dev.airlock.core.fuel.Metered;
import dev.airlock.core.fuel.Metering;
import dev.airlock.core.split.Splitter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The splitter leaves in place a region that would pass more values than a piece may take and give
 * back, and outlines the smaller regions inside it: a block that reads and writes 120 locals, made
 * of four blocks of 30, becomes four pieces of about 60 values each, not one piece that takes 40
 * parameters and 80 spilled locals and gives back 120 (a shape on which C2 spent seconds).
 */
class SplitInterfaceTest {
    private static final int VALUES = 120;
    private static final int GROUP = 30;

    private static byte[] module() {
        StringBuilder wat = new StringBuilder("(module (func (export \"f\") (param $n i32)");
        wat.append(" (result i32) (local $acc i32)");
        for (int k = 0; k <= VALUES; k++) {
            wat.append(" (local $v").append(k).append(" i32)");
        }
        for (int k = 0; k <= VALUES; k++) {
            wat.append(" (local.set $v")
                    .append(k)
                    .append(" (i32.add (local.get $n) (i32.const ")
                    .append(k)
                    .append(")))");
        }
        wat.append(" (block $all");
        for (int g = 0; g < VALUES / GROUP; g++) {
            wat.append(" (block $g").append(g);
            for (int k = g * GROUP; k < (g + 1) * GROUP; k++) {
                wat.append(" (local.set $v")
                        .append(k)
                        .append(" (i32.xor (i32.mul (local.get $v")
                        .append(k)
                        .append(") (i32.const 31)) (local.get $v")
                        .append(k + 1)
                        .append(")))");
            }
            wat.append(")");
        }
        wat.append(")");
        for (int k = 0; k < VALUES; k++) {
            wat.append(" (local.set $acc (i32.add (i32.rotl (local.get $acc) (i32.const 5))")
                    .append(" (local.get $v")
                    .append(k)
                    .append(")))");
        }
        wat.append(" (local.get $acc)))");
        return Wat2Wasm.parse(wat.toString());
    }

    @Test
    void aRegionThatPassesTooManyValuesIsOutlinedInSmallerPieces() {
        byte[] plain = module();
        byte[] split = Splitter.split(plain, 1500);
        WasmModule before = Parser.parse(plain);
        WasmModule after = Parser.parse(split);
        assertThat(Splitter.definedFunctions(split))
                .as("the four groups outlined")
                .isGreaterThanOrEqualTo(Splitter.definedFunctions(plain) + VALUES / GROUP);
        // each piece's interface: its parameters, the spilled locals it reads from globals first
        // thing, its results (the values it gives back, and an exit code where it has one)
        int globals = before.globalSection().globalCount();
        int pieces = 0;
        for (int i = before.functionSection().functionCount();
                i < after.functionSection().functionCount();
                i++) {
            FunctionType t =
                    after.typeSection().getType(after.functionSection().getFunctionType(i));
            List<AnnotatedInstruction> code = after.codeSection().getFunctionBody(i).instructions();
            int spilled = 0;
            while (spilled < code.size()
                    && code.get(spilled).opcode() == OpCode.GLOBAL_GET
                    && code.get(spilled).operand(0) >= globals) {
                spilled += 2; // global.get, local.set
            }
            int values = t.params().size() + spilled / 2 + t.returns().size();
            assertThat(values).as("values piece %d passes", i).isLessThanOrEqualTo(96 + 1);
            pieces++;
        }
        assertThat(pieces).isGreaterThanOrEqualTo(VALUES / GROUP);
        Metered metered = Metering.instrument(plain, CostTable.defaults());
        byte[] meteredSplit = Splitter.split(metered.bytes(), 1500);
        for (int n : new int[] {0, 1, -7, 123_456}) {
            SplitterTest.sameResultsAndFuel(plain, split, metered, meteredSplit, n);
        }
    }
}
