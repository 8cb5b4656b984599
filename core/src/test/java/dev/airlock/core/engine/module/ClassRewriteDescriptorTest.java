package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * A change that gives a method another descriptor is written under that descriptor, by the rewrite
 * in one pass and by the one it falls back to. The one pass used to look the changed tree up under
 * the new descriptor and so copy the method as it was read; the fallback used to open the method in
 * the writer before the change and so write the changed code under the old descriptor.
 */
class ClassRewriteDescriptorTest {
    /**
     * A class with {@code static int func_1()} and {@code static int func_2()}, each returning N.
     */
    private static byte[] twoFunctions() {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "t/Two", null, "java/lang/Object", null);
        for (int n = 1; n <= 2; n++) {
            MethodVisitor m =
                    w.visitMethod(
                            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC,
                            "func_" + n,
                            "()I",
                            null,
                            null);
            m.visitCode();
            m.visitInsn(Opcodes.ICONST_0 + n);
            m.visitInsn(Opcodes.IRETURN);
            m.visitMaxs(0, 0);
            m.visitEnd();
        }
        w.visitEnd();
        return w.toByteArray();
    }

    /** Makes {@code func_1} return a long: {@code ()J}, the same value widened. */
    private static final Predicate<MethodNode> TO_LONG =
            m -> {
                if (!m.name.equals("func_1")) {
                    return false;
                }
                m.desc = "()J";
                m.instructions.insertBefore(m.instructions.getLast(), new InsnNode(Opcodes.I2L));
                m.instructions.set(m.instructions.getLast(), new InsnNode(Opcodes.LRETURN));
                m.maxStack = 2;
                return true;
            };

    private static List<String> methods(byte[] classFile) {
        ClassNode c = new ClassNode();
        new ClassReader(classFile).accept(c, 0);
        List<String> out = new ArrayList<>();
        for (MethodNode m : c.methods) {
            out.add(m.name + m.desc);
        }
        return out;
    }

    @Test
    void theOnePassWritesTheChangedDescriptor() {
        byte[] out =
                ClassRewrite.rewriteInOnePass(
                        twoFunctions(), n -> n.startsWith("func_"), TO_LONG, m -> false);
        assertThat(methods(out)).containsExactly("func_1()J", "func_2()I");
    }

    @Test
    void theFallbackWritesTheChangedDescriptor() {
        byte[] out = ClassRewrite.rewrite(twoFunctions(), n -> n.startsWith("func_"), TO_LONG);
        assertThat(methods(out)).containsExactly("func_1()J", "func_2()I");
    }

    @Test
    void anUnchangedClassComesBackAsItWas() {
        byte[] in = twoFunctions();
        assertThat(ClassRewrite.rewrite(in, n -> n.startsWith("func_"), m -> false)).isSameAs(in);
        assertThat(ClassRewrite.rewriteInOnePass(in, n -> true, m -> false, m -> false))
                .isSameAs(in);
    }
}
