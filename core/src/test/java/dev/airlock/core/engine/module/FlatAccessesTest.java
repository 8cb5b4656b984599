package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Instance;
import dev.airlock.core.engine.memory.CowMemory;
import dev.airlock.core.testing.Guests;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Loads put in place in huge functions ({@link FlatAccesses}): every kind of load, in chunk mode,
 * in flat mode (the memory goes flat during the run) and on Chicory's own memory, computes what
 * Chicory's interpreter computes, and loads out of bounds (past the end, and from a negative base,
 * which an offset must not bring back in bounds) trap with the interpreter's error in either mode.
 */
class FlatAccessesTest {
    /** The loads of one step: each kind, at an offset that grows with the step. */
    private static final String[] LOADS = {
        "i32.load", "i32.load8_s", "i32.load8_u", "i32.load16_s", "i32.load16_u",
        "i64.load", "i64.load8_s", "i64.load16_u", "i64.load32_s", "i64.load32_u",
        "f32.load", "f64.load"
    };

    /**
     * {@code f(n, base)}: {@code n} rounds of {@code steps} steps, each folding one load at {@code
     * base} plus its offset into an accumulator, and storing the accumulator back at an address it
     * picks (so that later loads read what earlier rounds wrote).
     */
    static byte[] module(int steps) {
        StringBuilder body = new StringBuilder();
        for (int k = 0; k < steps; k++) {
            String op = LOADS[k % LOADS.length];
            String load = "(" + op + " offset=" + ((k * 37 + 100) % 4000) + " (local.get $base))";
            String asI64 =
                    op.startsWith("i32")
                            ? "(i64.extend_i32_s " + load + ")"
                            : op.startsWith("f32")
                                    ? "(i64.extend_i32_u (i32.reinterpret_f32 " + load + "))"
                                    : op.startsWith("f64")
                                            ? "(i64.reinterpret_f64 " + load + ")"
                                            : load;
            body.append(
                            " (local.set $acc (i64.xor (i64.mul (local.get $acc) (i64.const 1099511628211))")
                    .append(' ')
                    .append(asI64)
                    .append("))");
            if (k % 8 == 7) {
                body.append(
                                " (i64.store (i32.and (i32.wrap_i64 (local.get $acc)) (i32.const 0xfff8))")
                        .append(" (local.get $acc))");
            }
        }
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            data.append(String.format("\\%02x", (i * 167 + 13) & 0xff));
        }
        return Guests.wat(
                "(module (memory 1) (data (i32.const 0) \""
                        + data
                        + "\") (data (i32.const 5000) \""
                        + data
                        + "\")"
                        + " (func (export \"f\") (param $n i32) (param $base i32) (result i64)"
                        + " (local $i i32) (local $acc i64)"
                        + rounds(body.toString())
                        + " (local.get $acc)))");
    }

    /** {@code body} run {@code $n} times, counted in the local {@code $i}. */
    static String rounds(String body) {
        return " (block $out (loop $top"
                + " (br_if $out (i32.ge_u (local.get $i) (local.get $n)))"
                + body
                + " (local.set $i (i32.add (local.get $i) (i32.const 1)))"
                + " (br $top)))";
    }

    /** The compiled functions' in-place loads (reads of a CowMemory's array) and load calls. */
    private static int[] census(Path cache) throws Exception {
        int inPlace = 0;
        int calls = 0;
        int largest = 0;
        for (MethodNode m : BigMethodsTest.functions(cache)) {
            largest = Math.max(largest, m.instructions.size());
            for (AbstractInsnNode n : m.instructions) {
                if (n instanceof FieldInsnNode && ((FieldInsnNode) n).name.equals("flat")) {
                    inPlace++;
                }
                if (n instanceof MethodInsnNode
                        && ((MethodInsnNode) n).name.startsWith("memoryRead")) {
                    calls++;
                }
            }
        }
        return new int[] {inPlace, calls, largest};
    }

    @Test
    void hugeFunctionsLoadInPlaceAndComputeTheSame(@TempDir Path cache) throws Exception {
        byte[] wasm = module(600);
        CompiledModule rewritten = new ModuleLoader(4, cache, true, 0).load(wasm);
        int[] c = census(cache);
        assertThat(c[2]).as("the function's size").isGreaterThanOrEqualTo(FlatAccesses.DEFAULT_MIN);
        // nine kinds of every twelve: i64.load, f32.load and f64.load stay calls
        assertThat(c[0]).as("loads in place").isEqualTo(450);
        assertThat(c[1]).as("each keeps its call, for chunk mode and errors").isEqualTo(600);

        CompiledModule plain = new ModuleLoader(4, null, false, 0).load(wasm);
        // 7,000 rounds of 600 loads and 75 stores: the CowMemory goes flat (after 4M) within the
        // run
        long expected = Instance.builder(plain.module()).build().export("f").apply(7000, 16)[0];
        assertThat(instance(rewritten, true).export("f").apply(7000, 16)[0]).isEqualTo(expected);
        assertThat(instance(rewritten, false).export("f").apply(7000, 16)[0]).isEqualTo(expected);
        for (int base : new int[] {0, 7, 4093, 60000}) {
            long want = Instance.builder(plain.module()).build().export("f").apply(3, base)[0];
            assertThat(instance(rewritten, true).export("f").apply(3, base)[0])
                    .as("base %d", base)
                    .isEqualTo(want);
        }
    }

    @Test
    void loadsOutOfBoundsTrapAsBeforeInEitherMode(@TempDir Path cache) throws Exception {
        byte[] wasm = module(600);
        CompiledModule rewritten = new ModuleLoader(4, cache, true, 0).load(wasm);
        CompiledModule plain = new ModuleLoader(4, null, false, 0).load(wasm);
        Instance flat = instance(rewritten, true);
        flat.export("f").apply(7000, 16); // past the chunk-mode budget: flat from here on
        // past the end, across it, and below zero (offsets up to 4,000 must not bring -8 or
        // -4,000 back into the memory)
        Instance reference = Instance.builder(plain.module()).build();
        for (int base : new int[] {65536 - 3, 65536 - 3988, 65536, -8, -4000, Integer.MIN_VALUE}) {
            Throwable want = catchThrowable(() -> reference.export("f").apply(1, base));
            assertThat(want).as("base %d", base).isNotNull();
            Throwable inFlat = catchThrowable(() -> flat.export("f").apply(1, base));
            Throwable inChunks =
                    catchThrowable(() -> instance(rewritten, true).export("f").apply(1, base));
            Throwable onChicorys =
                    catchThrowable(() -> instance(rewritten, false).export("f").apply(1, base));
            for (Throwable got : new Throwable[] {inFlat, inChunks, onChicorys}) {
                assertThat(got).as("base %d", base).isInstanceOf(want.getClass());
                assertThat(got.getMessage()).as("base %d", base).startsWith(want.getMessage());
            }
            // the same error in both modes; a negative base is the address itself, which no offset
            // brings back (an access across the end names the first byte past it)
            assertThat(inFlat).hasMessage(inChunks.getMessage());
            if (base < 0) {
                assertThat(inChunks.getMessage()).contains("address: " + base + " ");
            }
        }
    }

    @Test
    void smallFunctionsKeepTheirCalls(@TempDir Path cache) throws Exception {
        new ModuleLoader(4, cache, true, 0).load(module(40));
        int[] c = census(cache);
        assertThat(c[2]).isLessThan(FlatAccesses.DEFAULT_MIN);
        assertThat(c[0]).as("loads in place").isZero();
        assertThat(c[1]).as("load calls").isEqualTo(40);
    }

    private static Instance instance(CompiledModule m, boolean cow) {
        return Instance.builder(m.module())
                .withMachineFactory(m.machineFactory())
                .withMemoryFactory(cow ? CowMemory::new : ByteArrayMemory::new)
                .build();
    }
}
