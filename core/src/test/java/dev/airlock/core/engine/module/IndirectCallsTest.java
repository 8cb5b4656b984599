package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.runtime.Instance;
import dev.airlock.core.testing.Guests;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The switch of a large {@code call_indirect_N} moved into a method of its own ({@link
 * IndirectCalls}): every table entry (each function, an entry of another type, a null entry, an
 * index past the table) gives through the compiled module what Chicory's interpreter gives, for
 * types with i32, i64 and f64 values and none; the fronts past C2's inlining budget lose their
 * switch, the smaller ones keep it.
 */
class IndirectCallsTest {
    private static final int INTS = 700;
    private static final int WIDE = 700;
    private static final int VOIDS = 60;
    private static final int PAIRS = 3;

    /**
     * A table of {@value #INTS} {@code (i32) -> i32} functions, {@value #WIDE} {@code (i64, f64) ->
     * f64}, {@value #VOIDS} {@code (i32) -> ()} (each storing to memory) and {@value #PAIRS} {@code
     * (i32, i32) -> i32}, then five null entries; an export per type that calls entry {@code i} as
     * that type.
     */
    static byte[] module() {
        StringBuilder w = new StringBuilder("(module (memory 1) (export \"mem\" (memory 0))");
        w.append(" (type $int (func (param i32) (result i32)))")
                .append(" (type $wide (func (param i64 f64) (result f64)))")
                .append(" (type $void (func (param i32)))")
                .append(" (type $pair (func (param i32 i32) (result i32)))");
        StringBuilder elems = new StringBuilder();
        for (int k = 0; k < INTS; k++) {
            w.append(" (func $i")
                    .append(k)
                    .append(" (type $int)")
                    .append(" (i32.add (i32.mul (local.get 0) (i32.const ")
                    .append(k + 3)
                    .append(")) (i32.const ")
                    .append(k * 7)
                    .append(")))");
            elems.append(" $i").append(k);
        }
        for (int k = 0; k < WIDE; k++) {
            w.append(" (func $w")
                    .append(k)
                    .append(" (type $wide)")
                    .append(" (f64.add (f64.convert_i64_s (i64.mul (local.get 0) (i64.const ")
                    .append(k + 1)
                    .append("))) (f64.mul (local.get 1) (f64.const ")
                    .append(k)
                    .append(".25))))");
            elems.append(" $w").append(k);
        }
        for (int k = 0; k < VOIDS; k++) {
            w.append(" (func $v")
                    .append(k)
                    .append(" (type $void)")
                    .append(" (i32.store (i32.const 16) (i32.add (local.get 0) (i32.const ")
                    .append(k * 11)
                    .append("))))");
            elems.append(" $v").append(k);
        }
        for (int k = 0; k < PAIRS; k++) {
            w.append(" (func $p")
                    .append(k)
                    .append(" (type $pair)")
                    .append(" (i32.sub (local.get 0) (i32.mul (local.get 1) (i32.const ")
                    .append(k + 2)
                    .append("))))");
            elems.append(" $p").append(k);
        }
        int size = INTS + WIDE + VOIDS + PAIRS + 5;
        w.append(" (table ")
                .append(size)
                .append(" funcref)")
                .append(" (elem (i32.const 0) func")
                .append(elems)
                .append(")")
                .append(" (func (export \"int\") (param $i i32) (param $x i32) (result i32)")
                .append("  (call_indirect (type $int) (local.get $x) (local.get $i)))")
                .append(" (func (export \"wide\") (param $i i32) (param $x i64) (param $y f64)")
                .append("  (result f64)")
                .append("  (call_indirect (type $wide) (local.get $x) (local.get $y)")
                .append("   (local.get $i)))")
                .append(" (func (export \"void\") (param $i i32) (param $x i32) (result i32)")
                .append("  (call_indirect (type $void) (local.get $x) (local.get $i))")
                .append("  (i32.load (i32.const 16)))")
                .append(" (func (export \"pair\") (param $i i32) (param $x i32) (result i32)")
                .append("  (call_indirect (type $pair) (local.get $x) (i32.const 5)")
                .append("   (local.get $i))))");
        return Guests.wat(w.toString());
    }

    /** The value, or the kind and message of what was thrown. */
    private static String outcome(Supplier<long[]> call) {
        try {
            return Long.toString(call.get()[0]);
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    @Test
    void everyEntryGivesWhatTheInterpreterGives(@TempDir Path cache) throws Exception {
        byte[] wasm = module();
        CompiledModule compiled = new ModuleLoader(4, cache, true, 0).load(wasm);
        assertThat(movedSwitches(cache)).as("the classes run").hasSize(2);
        CompiledModule plain = new ModuleLoader(4, null, false, 0).load(wasm);
        Instance mine =
                Instance.builder(compiled.module())
                        .withMachineFactory(compiled.machineFactory())
                        .build();
        Instance theirs = Instance.builder(plain.module()).build();
        int entries = INTS + WIDE + VOIDS + PAIRS + 5;
        int values = 0;
        for (int i = -1; i <= entries; i++) {
            long wideY = Double.doubleToRawLongBits(-1.5 + i);
            long[][] args = {{i, 1000 + i}, {i, -77L * i, wideY}, {i, 31 * i}, {i, 40 + i}};
            String[] exports = {"int", "wide", "void", "pair"};
            for (int e = 0; e < exports.length; e++) {
                long[] a = args[e];
                String name = exports[e];
                String want = outcome(() -> theirs.export(name).apply(a));
                assertThat(outcome(() -> mine.export(name).apply(a)))
                        .as("%s(%d)", name, i)
                        .isEqualTo(want);
                values += want.contains(":") ? 0 : 1;
            }
        }
        assertThat(values).as("entries that returned a value").isEqualTo(entries - 5);
    }

    @Test
    void frontsPastTheInliningBudgetLoseTheirSwitchAndSmallerOnesKeepIt(@TempDir Path cache)
            throws Exception {
        new ModuleLoader(4, cache, true, 0).load(module());
        // int and wide (700 functions each: about 8.5 KB of bytecode); void (60 functions, under
        // a kilobyte), pair (three) and the exports' own types keep theirs
        assertThat(movedSwitches(cache)).hasSize(2);
    }

    /**
     * The types whose switch moved, checked against the fronts: each moved switch is one in a
     * method of its own, its front has none left and is small, and some small front kept its own.
     */
    private static Set<String> movedSwitches(Path cache) throws Exception {
        List<MethodNode> methods = BigMethodsTest.methods(cache);
        Set<String> split = new TreeSet<>();
        Set<String> kept = new TreeSet<>();
        Set<String> moved = new TreeSet<>();
        for (MethodNode m : methods) {
            if (m.name.startsWith(IndirectCalls.PREFIX)) {
                String type = m.name.substring(IndirectCalls.PREFIX.length());
                if (switches(m) == 0) {
                    split.add(type);
                    assertThat(m.instructions.size()).as(m.name).isLessThan(60);
                } else {
                    kept.add(type);
                }
            } else if (m.name.startsWith(IndirectCalls.TARGETS)) {
                moved.add(m.name.substring(IndirectCalls.TARGETS.length()));
                assertThat(switches(m)).as(m.name).isOne();
                assertThat(m.instructions.size()).as(m.name).isGreaterThan(2 * PAIRS * 3);
            }
        }
        assertThat(split).isEqualTo(moved);
        assertThat(kept).hasSizeGreaterThanOrEqualTo(2);
        return moved;
    }

    private static int switches(MethodNode m) {
        int n = 0;
        for (AbstractInsnNode i : m.instructions) {
            n +=
                    i.getOpcode() == Opcodes.LOOKUPSWITCH || i.getOpcode() == Opcodes.TABLESWITCH
                            ? 1
                            : 0;
        }
        return n;
    }
}
