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
 * The compiled code's interrupt checks: at loop back edges behind the stop gate, gone before calls
 * of pieces, kept before every other call; and the code computes what it did. That runs which never
 * end are still stopped is {@code TimeLimitTest}'s and {@code CallerInterruptTest}'s part.
 */
class InterruptChecksTest {
    /**
     * {@code f(n)}: a loop of {@code n} rounds whose body is far above the split size (so it
     * becomes calls of pieces) and calls a small function {@code g} once a round.
     */
    static byte[] module() {
        StringBuilder step = new StringBuilder();
        for (int k = 0; k < 40; k++) {
            step.append(" (local.set $a (i32.add (i32.mul (local.get $a) (i32.const 31))")
                    .append(" (i32.xor (local.get $i) (i32.const ")
                    .append(k * 7919)
                    .append("))))")
                    .append(" (i32.store (i32.and (local.get $a) (i32.const 0xfffc))")
                    .append(" (local.get $a))");
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
                        + " (local.set $a (i32.add (local.get $a) (call $g (local.get $a))))"
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

    @Test
    void backEdgesAreGatedAndPieceCallsUnchecked(@TempDir Path cache) throws Exception {
        byte[] wasm = module();
        CompiledModule split = new ModuleLoader(4, cache, true, 200).load(wasm);
        assertThat(split.compiled()).isTrue();
        int gated = 0;
        int ungatedBackEdges = 0;
        int pieceCalls = 0;
        int checkedPieceCalls = 0;
        int checkedOtherCalls = 0;
        Map<String, byte[]> classes = BigMethodsTest.classes(BigMethodsTest.onlyJar(cache));
        for (byte[] c : classes.values()) {
            ClassNode cn = new ClassNode();
            new ClassReader(c).accept(cn, 0);
            for (MethodNode m : cn.methods) {
                if (!m.name.startsWith("func_")) {
                    continue;
                }
                for (AbstractInsnNode n : m.instructions) {
                    if (isCheck(n) && skipArguments(n).getOpcode() == Opcodes.GOTO) {
                        AbstractInsnNode jump = n.getPrevious();
                        AbstractInsnNode read = jump.getPrevious();
                        boolean behindGate =
                                jump.getOpcode() == Opcodes.IFEQ
                                        && ((JumpInsnNode) jump).label
                                                == ((JumpInsnNode) skipArguments(n)).label
                                        && read instanceof FieldInsnNode
                                        && ((FieldInsnNode) read)
                                                .owner.equals(InterruptChecks.GATE);
                        if (behindGate) {
                            gated++;
                        } else {
                            ungatedBackEdges++;
                        }
                    }
                    if (n instanceof MethodInsnNode
                            && ((MethodInsnNode) n).name.startsWith("func_")) {
                        boolean piece = PieceReturns.isPiece(((MethodInsnNode) n).name, 2);
                        AbstractInsnNode before = n.getPrevious();
                        while (before.getOpcode() == Opcodes.ALOAD || before.getOpcode() < 0) {
                            before = before.getPrevious();
                        }
                        if (piece) {
                            pieceCalls++;
                            checkedPieceCalls += isCheck(before) ? 1 : 0;
                        } else {
                            checkedOtherCalls += isCheck(before) ? 0 : 1;
                        }
                    }
                }
            }
        }
        assertThat(gated).as("gated back edges").isGreaterThan(0);
        assertThat(ungatedBackEdges).as("back edges that call at every round").isZero();
        assertThat(pieceCalls).as("calls of pieces").isGreaterThan(1);
        assertThat(checkedPieceCalls).as("calls of pieces still checked").isZero();
        assertThat(checkedOtherCalls).as("calls of g without a check").isZero();

        CompiledModule plain = new ModuleLoader(4, null, false, 0).load(wasm);
        Instance want = Instance.builder(plain.module()).build();
        Instance got =
                Instance.builder(split.module())
                        .withMachineFactory(split.machineFactory())
                        .withMemoryFactory(CowMemory::new)
                        .build();
        Instance flat =
                Instance.builder(split.module())
                        .withMachineFactory(split.machineFactory())
                        .withMemoryFactory(ByteArrayMemory::new)
                        .build();
        for (int n : new int[] {0, 1, 5, 300}) {
            long expected = want.export("f").apply(n)[0];
            assertThat(got.export("f").apply(n)[0]).as("n=%d", n).isEqualTo(expected);
            assertThat(flat.export("f").apply(n)[0]).as("n=%d", n).isEqualTo(expected);
        }
    }
}
