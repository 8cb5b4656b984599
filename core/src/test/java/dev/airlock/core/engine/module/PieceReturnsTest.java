package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import dev.airlock.core.engine.memory.CowMemory;
import dev.airlock.core.testing.Guests;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The pieces of a split function return their values through the instance's result buffer instead
 * of a new array each time, and every result stays exactly what the unsplit function computes: with
 * values of all four types, on two threads at once, with a host function that re-enters the guest
 * from inside a piece, and on a memory that is not copy-on-write (where new arrays are used).
 */
class PieceReturnsTest {
    /**
     * {@code f(n)}: a loop whose body updates an i32, an i64, an f32 and an f64 local many times
     * over (so the splitter cuts it into pieces that give back all four), calls the host once per
     * round, and returns the four values folded into one i64. {@code g(n)} is a small export the
     * host calls back into.
     */
    private static byte[] module() {
        StringBuilder step = new StringBuilder();
        for (int k = 0; k < 30; k++) {
            step.append(" (local.set $a (i32.add (i32.mul (local.get $a) (i32.const 31))")
                    .append(" (i32.wrap_i64 (local.get $b))))")
                    .append(" (local.set $b (i64.xor (i64.rotl (local.get $b) (i64.const ")
                    .append(k % 63 + 1)
                    .append(")) (i64.extend_i32_u (local.get $a))))")
                    .append(" (local.set $c (f32.add (f32.mul (local.get $c) (f32.const 0.75))")
                    .append(" (f32.convert_i32_s (i32.and (local.get $a) (i32.const 255)))))")
                    .append(" (local.set $d (f64.add (f64.mul (local.get $d) (f64.const 0.5))")
                    .append(" (f64.promote_f32 (local.get $c))))")
                    .append(" (if (i32.eq (local.get $a) (i32.const ")
                    .append(1000 + k)
                    .append(")) (then (br $out)))");
        }
        return Guests.wat(
                "(module (import \"host\" \"poke\" (func $poke (param i32) (result i32)))"
                        + " (memory 1)"
                        + " (func (export \"g\") (param $n i32) (result i32)"
                        + " (i32.add (i32.mul (local.get $n) (i32.const 3)) (i32.const 1)))"
                        + " (func (export \"f\") (param $n i32) (result i64)"
                        + " (local $i i32) (local $a i32) (local $b i64) (local $c f32)"
                        + " (local $d f64)"
                        + " (local.set $b (i64.const 88172645463325252))"
                        + " (block $out (loop $top"
                        + " (br_if $out (i32.ge_u (local.get $i) (local.get $n)))"
                        + step
                        + " (local.set $a (i32.add (local.get $a) (call $poke (local.get $i))))"
                        + step
                        + " (local.set $i (i32.add (local.get $i) (i32.const 1)))"
                        + " (br $top)))"
                        + " (i64.xor (i64.xor (local.get $b) (i64.extend_i32_u (local.get $a)))"
                        + " (i64.xor (i64.reinterpret_f64 (local.get $d))"
                        + " (i64.extend_i32_u (i32.reinterpret_f32 (local.get $c)))))))");
    }

    /**
     * An instance of {@code cm} whose host function calls back into the guest: into {@code f}
     * itself for odd arguments (from inside a piece, whose caller has not yet read its results),
     * into {@code g} for even ones.
     */
    private static Instance instance(CompiledModule cm, Function<MemoryLimits, ?> memory) {
        Instance[] self = new Instance[1];
        HostFunction poke =
                new HostFunction(
                        "host",
                        "poke",
                        FunctionType.of(List.of(ValType.I32), List.of(ValType.I32)),
                        (inst, args) ->
                                new long[] {
                                    args[0] % 2 == 1 // re-enters the split function itself
                                            ? (int) self[0].export("f").apply(args[0] / 2)[0]
                                            : self[0].export("g").apply(args[0])[0]
                                });
        Instance.Builder b =
                Instance.builder(cm.module())
                        .withImportValues(ImportValues.builder().addFunction(poke).build());
        if (cm.compiled()) {
            b.withMachineFactory(cm.machineFactory());
        }
        b.withMemoryFactory(l -> (com.dylibso.chicory.runtime.Memory) memory.apply(l));
        self[0] = b.build();
        return self[0];
    }

    private static long f(Instance i, int n) {
        return i.export("f").apply(n)[0];
    }

    @Test
    void piecesReturnThroughTheBufferAndComputeWhatTheFunctionDoes(@TempDir Path cache)
            throws Exception {
        byte[] wasm = module();
        CompiledModule plain = new ModuleLoader(4, null, false, 0).load(wasm);
        CompiledModule split = new ModuleLoader(4, cache, true, 200).load(wasm);
        assertThat(split.compiled()).isTrue();

        // the pieces no longer allocate their results: they ask the buffer for an array
        int buffered = 0;
        int allocating = 0;
        for (MethodNode m : BigMethodsTest.methods(cache)) {
            for (AbstractInsnNode n : m.instructions) {
                if (n instanceof MethodInsnNode) {
                    MethodInsnNode call = (MethodInsnNode) n;
                    if (call.owner.equals(PieceReturns.BUFFER)) {
                        buffered++;
                    } else if (call.name.startsWith("value_")
                            && n.getNext().getOpcode() == Opcodes.ARETURN
                            && m.name.startsWith("func_")) {
                        allocating++;
                    }
                }
            }
        }
        assertThat(buffered).isGreaterThan(0);
        assertThat(allocating).isZero();

        Instance reference = instance(plain, ByteArrayMemory::new);
        Instance cow = instance(split, CowMemory::new);
        Instance flat = instance(split, ByteArrayMemory::new);
        for (int n : new int[] {0, 1, 2, 7, 40}) {
            long want = f(reference, n);
            assertThat(f(cow, n)).as("copy-on-write memory, n=%d", n).isEqualTo(want);
            assertThat(f(flat, n)).as("plain memory, n=%d", n).isEqualTo(want);
        }
    }

    @Test
    void instancesOnTwoThreadsKeepTheirOwnResults(@TempDir Path cache) throws Exception {
        byte[] wasm = module();
        CompiledModule plain = new ModuleLoader(4, null, false, 0).load(wasm);
        CompiledModule split = new ModuleLoader(4, cache, true, 200).load(wasm);
        Instance reference = instance(plain, ByteArrayMemory::new);
        long[] want = new long[64];
        for (int n = 0; n < want.length; n++) {
            want[n] = f(reference, n);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int offset = t;
                Callable<Integer> run =
                        () -> {
                            Instance mine = instance(split, CowMemory::new);
                            int wrong = 0;
                            for (int round = 0; round < 20; round++) {
                                for (int n = offset; n < want.length; n += 2) {
                                    wrong += f(mine, n) == want[n] ? 0 : 1;
                                }
                            }
                            return wrong;
                        };
                runs.add(pool.submit(run));
            }
            for (Future<Integer> r : runs) {
                assertThat(r.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whatCannotBeRewrittenIsKeptAsItIs() {
        for (byte[] junk : new byte[][] {new byte[0], BigMethodsTest.noise(11)}) {
            assertThat(RewritingCollector.rewrite("a.B", junk, 1)).isSameAs(junk);
        }
        assertThat(PieceReturns.isPiece("func_12", 12)).isTrue();
        assertThat(PieceReturns.isPiece("func_11", 12)).isFalse();
        assertThat(PieceReturns.isPiece("func_12", 0)).isFalse();
        assertThat(PieceReturns.isPiece("func_x", 1)).isFalse();
        assertThat(PieceReturns.isPiece("call", 1)).isFalse();
    }
}
