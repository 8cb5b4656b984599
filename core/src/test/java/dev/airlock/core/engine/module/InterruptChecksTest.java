package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Instance;
import dev.airlock.core.engine.memory.CowMemory;
import dev.airlock.core.testing.Guests;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The compiled code's interrupt checks: at loop back edges behind the stop gate; in huge functions
 * gone before direct calls and behind the gate on entry instead, in the others kept at each call;
 * and the code computes what it did. That runs which never end are still stopped is {@code
 * TimeLimitTest}'s and {@code CallerInterruptTest}'s part.
 */
class InterruptChecksTest {
    /**
     * {@code f(n)}: a loop of {@code n} rounds whose body of {@code steps} steps calls a small
     * function {@code g} every tenth step. With 40 steps it is far above the split size (so it
     * becomes calls of pieces); with 400 and no splitting it is one huge method.
     */
    static byte[] module(int steps) {
        StringBuilder step = new StringBuilder();
        for (int k = 0; k < steps; k++) {
            step.append(" (local.set $a (i32.add (i32.mul (local.get $a) (i32.const 31))")
                    .append(" (i32.xor (local.get $i) (i32.const ")
                    .append(k * 7919)
                    .append("))))")
                    .append(" (i32.store (i32.and (local.get $a) (i32.const 0xfffc))")
                    .append(" (local.get $a))");
            if (k % 10 == 9) {
                step.append(" (local.set $a (i32.add (local.get $a) (call $g (local.get $a))))");
            }
        }
        return Guests.wat(
                "(module (memory 1)"
                        + " (func $g (param $x i32) (result i32)"
                        + " (i32.add (i32.load (i32.and (local.get $x) (i32.const 0xfffc)))"
                        + " (i32.const 1)))"
                        + " (func (export \"f\") (param $n i32) (result i32)"
                        + " (local $i i32) (local $a i32)"
                        + " (block $out (loop $top"
                        + " (br_if $out (i32.ge_u (local.get $i) (local.get $n)))"
                        + step
                        + " (local.set $i (i32.add (local.get $i) (i32.const 1)))"
                        + " (br $top)))"
                        + " (local.get $a)))");
    }

    private static boolean isCheck(AbstractInsnNode n) {
        return n instanceof MethodInsnNode && ((MethodInsnNode) n).name.equals("checkInterruption");
    }

    private static AbstractInsnNode skipArguments(AbstractInsnNode n) {
        AbstractInsnNode x = n.getNext();
        while (x != null && (x.getOpcode() < 0 || x.getOpcode() == Opcodes.ALOAD)) {
            x = x.getNext();
        }
        return x;
    }

    /** Whether {@code m} starts with the gated check: the gate, a branch, the check, a nop. */
    private static boolean checksOnEntry(MethodNode m) {
        AbstractInsnNode n = m.instructions.getFirst();
        while (n.getOpcode() < 0) {
            n = n.getNext();
        }
        if (!(n instanceof FieldInsnNode
                && ((FieldInsnNode) n).owner.equals(InterruptChecks.GATE))) {
            return false;
        }
        JumpInsnNode jump = (JumpInsnNode) n.getNext();
        return jump.getOpcode() == Opcodes.IFEQ
                && isCheck(jump.getNext())
                && jump.getNext().getNext() == jump.label
                && skipArguments(jump.getNext()).getOpcode() == Opcodes.NOP;
    }

    /** What the compiled functions of one module do about interrupts. */
    private static final class Census {
        int gatedBackEdges;
        int ungatedBackEdges;
        int checkedCalls;
        int uncheckedCalls;
        int pieceCalls;
        int checkedOnEntry;
        int largest;

        Census(Path cache) throws Exception {
            Map<String, byte[]> classes = BigMethodsTest.classes(BigMethodsTest.onlyJar(cache));
            for (byte[] c : classes.values()) {
                ClassNode cn = new ClassNode();
                new ClassReader(c).accept(cn, 0);
                for (MethodNode m : cn.methods) {
                    if (m.name.startsWith("func_")) {
                        count(m);
                    }
                }
            }
        }

        private void count(MethodNode m) {
            largest = Math.max(largest, m.instructions.size());
            checkedOnEntry += checksOnEntry(m) ? 1 : 0;
            for (AbstractInsnNode n : m.instructions) {
                if (isCheck(n) && skipArguments(n).getOpcode() == Opcodes.GOTO) {
                    AbstractInsnNode jump = n.getPrevious();
                    AbstractInsnNode read = jump.getPrevious();
                    boolean behindGate =
                            jump.getOpcode() == Opcodes.IFEQ
                                    && ((JumpInsnNode) jump).label
                                            == ((JumpInsnNode) skipArguments(n)).label
                                    && read instanceof FieldInsnNode
                                    && ((FieldInsnNode) read).owner.equals(InterruptChecks.GATE);
                    gatedBackEdges += behindGate ? 1 : 0;
                    ungatedBackEdges += behindGate ? 0 : 1;
                }
                if (n instanceof MethodInsnNode && ((MethodInsnNode) n).name.startsWith("func_")) {
                    pieceCalls += PieceReturns.isPiece(((MethodInsnNode) n).name, 2) ? 1 : 0;
                    AbstractInsnNode before = n.getPrevious();
                    while (before.getOpcode() == Opcodes.ALOAD || before.getOpcode() < 0) {
                        before = before.getPrevious();
                    }
                    checkedCalls += isCheck(before) ? 1 : 0;
                    uncheckedCalls += isCheck(before) ? 0 : 1;
                }
            }
        }
    }

    @Test
    void smallFunctionsGateTheirBackEdgesAndKeepTheirCallChecks(@TempDir Path cache)
            throws Exception {
        byte[] wasm = module(40);
        CompiledModule split = new ModuleLoader(4, cache, true, 200).load(wasm);
        Census c = new Census(cache);
        assertThat(c.largest).isLessThan(InterruptChecks.HUGE);
        assertThat(c.gatedBackEdges).as("gated back edges").isGreaterThan(0);
        assertThat(c.ungatedBackEdges).as("back edges that call at every round").isZero();
        assertThat(c.pieceCalls).as("calls of pieces").isGreaterThan(1);
        assertThat(c.uncheckedCalls).as("calls without their check").isZero();
        assertThat(c.checkedOnEntry).as("functions checked on entry").isZero();
        assertComputesTheSame(wasm, split);
    }

    @Test
    void hugeFunctionsCheckOnEntryInsteadOfAtEachCall(@TempDir Path cache) throws Exception {
        byte[] wasm = module(400);
        CompiledModule whole = new ModuleLoader(4, cache, true, 0).load(wasm);
        Census c = new Census(cache);
        assertThat(c.largest).isGreaterThanOrEqualTo(InterruptChecks.HUGE);
        assertThat(c.gatedBackEdges).as("gated back edges").isGreaterThan(0);
        assertThat(c.ungatedBackEdges).as("back edges that call at every round").isZero();
        assertThat(c.uncheckedCalls).as("the 40 calls of g").isEqualTo(40);
        assertThat(c.checkedCalls).as("calls still checked").isZero();
        assertThat(c.checkedOnEntry).as("functions checked on entry").isEqualTo(1);
        assertComputesTheSame(wasm, whole);
    }

    private static void assertComputesTheSame(byte[] wasm, CompiledModule rewritten)
            throws Exception {
        CompiledModule plain = new ModuleLoader(4, null, false, 0).load(wasm);
        Instance want = Instance.builder(plain.module()).build();
        Instance got =
                Instance.builder(rewritten.module())
                        .withMachineFactory(rewritten.machineFactory())
                        .withMemoryFactory(CowMemory::new)
                        .build();
        Instance flat =
                Instance.builder(rewritten.module())
                        .withMachineFactory(rewritten.machineFactory())
                        .withMemoryFactory(ByteArrayMemory::new)
                        .build();
        for (int n : new int[] {0, 1, 5, 300}) {
            long expected = want.export("f").apply(n)[0];
            assertThat(got.export("f").apply(n)[0]).as("n=%d", n).isEqualTo(expected);
            assertThat(flat.export("f").apply(n)[0]).as("n=%d", n).isEqualTo(expected);
        }
    }
}
