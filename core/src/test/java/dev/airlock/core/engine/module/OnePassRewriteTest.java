package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.internal.ClassLoadingCollector;
import com.dylibso.chicory.compiler.internal.Compiler;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import dev.airlock.core.split.Splitter;
import dev.airlock.core.testing.Guests;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The class rewrite in one read and one write ({@link RewritingCollector#rewrite}) gives the same
 * classes as its passes applied one at a time ({@link RewritingCollector#onePassEach}, what it
 * falls back to): with pieces that return values, interrupt checks, writes of the stack pointer and
 * loads put in place, each of them present in the classes compared.
 */
class OnePassRewriteTest {
    /**
     * A loop that moves an LLVM-style stack pointer (global 0) down and up around a long body of
     * arithmetic on four locals, big enough to be split into pieces that give values back.
     */
    private static byte[] stackPointerLoop() {
        StringBuilder step = new StringBuilder();
        for (int k = 0; k < 40; k++) {
            step.append(" (local.set $a (i32.add (i32.mul (local.get $a) (i32.const 31))")
                    .append(" (i32.wrap_i64 (local.get $b))))")
                    .append(" (local.set $b (i64.xor (i64.rotl (local.get $b) (i64.const ")
                    .append(k % 63 + 1)
                    .append(")) (i64.extend_i32_u (local.get $a))))")
                    .append(" (i32.store (global.get 0) (local.get $a))");
        }
        return Guests.wat(
                "(module (memory 2) (global (mut i32) (i32.const 65536))"
                        + " (func (export \"f\") (param $n i32) (result i64)"
                        + " (local $i i32) (local $a i32) (local $b i64)"
                        + " (block $out (loop $top"
                        + " (br_if $out (i32.ge_u (local.get $i) (local.get $n)))"
                        + " (global.set 0 (i32.sub (global.get 0) (i32.const 16)))"
                        + step
                        + " (global.set 0 (i32.add (global.get 0) (i32.const 16)))"
                        + " (local.set $i (i32.add (local.get $i) (i32.const 1)))"
                        + " (br $top)))"
                        + " (i64.xor (local.get $b) (i64.extend_i32_u (local.get $a)))))");
    }

    /**
     * Chicory's classes for {@code wasm} as its compiler writes them, split first where {@code
     * threshold} is above 0; {@code firstPiece[0]} set to the first piece's function index.
     */
    private static Map<String, byte[]> compiled(byte[] wasm, int threshold, int[] firstPiece)
            throws Exception {
        WasmModule module = ModuleParser.parse(wasm, "test");
        if (threshold > 0) {
            byte[] split =
                    Splitter.split(
                            wasm,
                            threshold,
                            SplitSettings.region(),
                            SplitSettings.regroup(wasm, threshold),
                            SplitSettings.expressions(),
                            SplitSettings.access());
            assertThat(split).as("the module is split").isNotSameAs(wasm);
            firstPiece[0] =
                    module.importSection().count(ExternalType.FUNCTION)
                            + Splitter.definedFunctions(wasm);
            module = ModuleParser.parse(split, "test");
        }
        return Compiler.builder(module)
                .withClassName("com.dylibso.chicory.$gen.OnePass" + threshold + "Machine")
                .withInterpreterFallback(InterpreterFallback.SILENT)
                .withClassCollectorFactory(ClassLoadingCollector::new)
                .build()
                .compile()
                .collector()
                .classBytes();
    }

    /**
     * The class written again with its constant pool in the order its content is visited: two
     * classes with the same members, code and frames come out byte for byte the same, whatever
     * order their pools had.
     */
    private static byte[] canonical(byte[] classFile) {
        ClassWriter w = new ClassWriter(0);
        new ClassReader(classFile).accept(w, 0);
        return w.toByteArray();
    }

    /** Per rewrite: how many of its marks the class holds. */
    private static void census(byte[] classFile, int[] counts) {
        ClassNode c = new ClassNode();
        new ClassReader(classFile).accept(c, 0);
        for (MethodNode m : c.methods) {
            for (AbstractInsnNode n : m.instructions) {
                if (n instanceof FieldInsnNode f) {
                    counts[0] += f.name.equals("flat") ? 1 : 0; // a load in place
                    counts[1] += f.owner.endsWith("/StopGate") ? 1 : 0; // an interrupt check
                } else if (n instanceof MethodInsnNode call) {
                    counts[2] += call.owner.equals(StackPointerWrites.OWNER) ? 1 : 0;
                    counts[3] += call.owner.endsWith("/ResultBuffer") ? 1 : 0; // piece returns
                }
            }
        }
    }

    @Test
    void onePassGivesTheClassesOfEachPassInTurn() throws Exception {
        int[] counts = new int[4];
        int changed = 0;
        int classes = 0;
        for (int round = 0; round < 2; round++) {
            int[] first = {0};
            Map<String, byte[]> raw =
                    round == 0
                            ? compiled(FlatAccessesTest.module(600), 0, first)
                            : compiled(stackPointerLoop(), 200, first);
            for (Map.Entry<String, byte[]> e : raw.entrySet()) {
                byte[] one = RewritingCollector.rewrite(e.getKey(), e.getValue(), first[0]);
                byte[] each = RewritingCollector.onePassEach(e.getValue(), first[0]);
                assertThat(Arrays.equals(canonical(one), canonical(each)))
                        .as("%s: the same members, code and frames", e.getKey())
                        .isTrue();
                changed += Arrays.equals(one, e.getValue()) ? 0 : 1;
                classes++;
                census(one, counts);
            }
        }
        assertThat(changed).as("classes changed").isPositive().isLessThanOrEqualTo(classes);
        assertThat(counts[0]).as("loads in place").isPositive();
        assertThat(counts[1]).as("interrupt checks").isPositive();
        assertThat(counts[2]).as("checked writes of the stack pointer").isPositive();
        assertThat(counts[3]).as("pieces returning through the result buffer").isPositive();
    }

    @Test
    void aClassThatCannotBeReadComesBackAsItWas() {
        byte[] junk = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 9};
        assertThat(ClassRewrite.rewriteInOnePass(junk, m -> true, m -> true, m -> true))
                .as("the single pass reports its failure")
                .isNull();
        assertThat(RewritingCollector.rewrite("a.B", junk, 1)).isSameAs(junk);
    }
}
