package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.OpcodeImpl;
import dev.airlock.core.testing.Guests;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Comparisons put in place of Chicory's helper calls in huge functions ({@link OpcodeCalls}): each
 * replaced helper gives what {@code OpcodeImpl} gives, on the values where signed and unsigned
 * orders differ; a huge function keeps none of those calls and computes what Chicory's interpreter
 * computes; a small one keeps its calls.
 */
class OpcodeCallsTest {
    private static final String[] COMPARES = {
        "EQ", "NE", "LT_S", "LT_U", "GT_S", "GT_U", "LE_S", "LE_U", "GE_S", "GE_U"
    };

    private static final int[] INTS = {
        0,
        1,
        -1,
        2,
        -2,
        7,
        Integer.MAX_VALUE,
        Integer.MIN_VALUE,
        Integer.MAX_VALUE - 1,
        Integer.MIN_VALUE + 1,
        0x7fff_0000,
        0x8000_ffff
    };

    private static final long[] LONGS = {
        0,
        1,
        -1,
        2,
        -2,
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        Long.MAX_VALUE - 1,
        Long.MIN_VALUE + 1,
        0xffff_ffffL,
        0x1_0000_0000L,
        -0x1_0000_0000L,
        Integer.MIN_VALUE,
        Integer.MAX_VALUE
    };

    /** The helpers the pass replaces, with their descriptors. */
    private static List<String[]> helpers() {
        List<String[]> h = new ArrayList<>();
        for (String c : COMPARES) {
            h.add(new String[] {"I32_" + c, "(II)I"});
            h.add(new String[] {"I64_" + c, "(JJ)I"});
        }
        h.add(new String[] {"I32_EQZ", "(I)I"});
        h.add(new String[] {"I64_EQZ", "(J)I"});
        h.add(new String[] {"I64_EXTEND_I32_U", "(I)J"});
        return h;
    }

    /** A class with one static method per helper, {@code h_NAME}, that calls the helper. */
    private static byte[] callers() {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "gen/Callers", null, "java/lang/Object", null);
        for (String[] h : helpers()) {
            MethodVisitor m =
                    w.visitMethod(
                            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "h_" + h[0], h[1], null, null);
            m.visitCode();
            int slot = 0;
            for (Type t : Type.getArgumentTypes(h[1])) {
                m.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
                slot += t.getSize();
            }
            m.visitMethodInsn(Opcodes.INVOKESTATIC, OpcodeCalls.OPCODES, h[0], h[1], false);
            m.visitInsn(Type.getReturnType(h[1]).getOpcode(Opcodes.IRETURN));
            m.visitMaxs(0, 0);
            m.visitEnd();
        }
        w.visitEnd();
        return w.toByteArray();
    }

    private static final class Loader extends ClassLoader {
        Loader() {
            super(OpcodeCallsTest.class.getClassLoader());
        }

        Class<?> define(byte[] b) {
            return defineClass(null, b, 0, b.length);
        }
    }

    @Test
    void everyReplacedHelperGivesWhatChicorysGives() throws Exception {
        int[] replaced = {0};
        byte[] rewritten =
                ClassRewrite.rewriteComputingFrames(
                        callers(),
                        name -> name.startsWith("h_"),
                        m -> {
                            boolean c = OpcodeCalls.replaceAll(m);
                            replaced[0] += c ? 1 : 0;
                            assertThat(opcodeCalls(m)).as(m.name).isZero();
                            return c;
                        });
        assertThat(replaced[0]).isEqualTo(helpers().size());
        Class<?> callers = new Loader().define(rewritten);
        int checked = 0;
        for (String[] h : helpers()) {
            Class<?>[] params =
                    h[1].startsWith("(JJ)")
                            ? new Class<?>[] {long.class, long.class}
                            : h[1].startsWith("(II)")
                                    ? new Class<?>[] {int.class, int.class}
                                    : h[1].startsWith("(J)")
                                            ? new Class<?>[] {long.class}
                                            : new Class<?>[] {int.class};
            Method mine = callers.getMethod("h_" + h[0], params);
            Method chicorys = OpcodeImpl.class.getMethod(h[0], params);
            for (Object[] args : arguments(params)) {
                assertThat(mine.invoke(null, args))
                        .as("%s%s", h[0], java.util.Arrays.toString(args))
                        .isEqualTo(chicorys.invoke(null, args));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(2000);
    }

    private static List<Object[]> arguments(Class<?>[] params) {
        List<Object[]> out = new ArrayList<>();
        boolean wide = params[0] == long.class;
        int n = wide ? LONGS.length : INTS.length;
        for (int i = 0; i < n; i++) {
            Object a = wide ? (Object) LONGS[i] : (Object) INTS[i];
            if (params.length == 1) {
                out.add(new Object[] {a});
                continue;
            }
            for (int j = 0; j < n; j++) {
                out.add(new Object[] {a, wide ? (Object) LONGS[j] : (Object) INTS[j]});
            }
        }
        return out;
    }

    private static int opcodeCalls(MethodNode m) {
        int n = 0;
        for (AbstractInsnNode i : m.instructions) {
            if (i instanceof MethodInsnNode && ((MethodInsnNode) i).owner.contains("OpcodeImpl")) {
                n++;
            }
        }
        return n;
    }

    /**
     * {@code f(n, seed)}: {@code n} rounds of {@code steps} steps, each folding a comparison of two
     * values that the steps keep changing (signs, both halves of i64 values) into an accumulator.
     */
    static byte[] module(int steps) {
        String[] ops = {
            "i32.eqz", "i64.eqz", "i64.extend_i32_u", "i32.eq", "i32.ne", "i32.lt_s", "i32.lt_u",
            "i32.gt_s", "i32.gt_u", "i32.le_s", "i32.le_u", "i32.ge_s", "i32.ge_u", "i64.eq",
            "i64.ne", "i64.lt_s", "i64.lt_u", "i64.gt_s", "i64.gt_u", "i64.le_s", "i64.le_u",
            "i64.ge_s", "i64.ge_u"
        };
        StringBuilder body = new StringBuilder();
        for (int k = 0; k < steps; k++) {
            String op = ops[k % ops.length];
            String value;
            if (op.equals("i32.eqz")) {
                value = "(i32.eqz (i32.and (local.get $a) (i32.const 3)))";
            } else if (op.equals("i64.eqz")) {
                value = "(i64.eqz (i64.and (local.get $x) (i64.const 3)))";
            } else if (op.equals("i64.extend_i32_u")) {
                value =
                        "(i32.wrap_i64 (i64.shr_u (i64.extend_i32_u (local.get $a)) (i64.const 7)))";
            } else if (op.startsWith("i32")) {
                value = "(" + op + " (local.get $a) (local.get $b))";
            } else {
                value = "(" + op + " (local.get $x) (local.get $y))";
            }
            body.append(" (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) ")
                    .append(value)
                    .append("))");
            // new operands: an LCG step, with the sign bit and the high half moving too
            body.append(
                            " (local.set $a (i32.add (i32.mul (local.get $a) (i32.const 1103515245))"
                                    + " (i32.const 12345)))")
                    .append(" (local.set $b (i32.xor (local.get $b) (i32.shl (local.get $a)")
                    .append(" (i32.const ")
                    .append(k % 5)
                    .append("))))")
                    .append(" (local.set $x (i64.or (i64.shl (i64.extend_i32_s (local.get $a))")
                    .append(" (i64.const 32)) (i64.extend_i32_u (local.get $b))))")
                    .append(" (local.set $y (i64.xor (local.get $x) (i64.extend_i32_s")
                    .append(" (i32.and (local.get $b) (i32.const ")
                    .append(k % 3 == 0 ? "0" : "-2147483648")
                    .append(")))))");
        }
        return Guests.wat(
                "(module (func (export \"f\") (param $n i32) (param $seed i32) (result i32)"
                        + " (local $i i32) (local $acc i32) (local $a i32) (local $b i32)"
                        + " (local $x i64) (local $y i64)"
                        + " (local.set $a (local.get $seed))"
                        + " (local.set $b (i32.xor (local.get $seed) (i32.const -1)))"
                        + FlatAccessesTest.rounds(body.toString())
                        + " (local.get $acc)))");
    }

    /** The calls of Chicory's opcode helpers in the compiled functions, and the largest's size. */
    private static int[] census(Path cache) throws Exception {
        int calls = 0;
        int largest = 0;
        for (MethodNode m : BigMethodsTest.functions(cache)) {
            largest = Math.max(largest, m.instructions.size());
            calls += opcodeCalls(m);
        }
        return new int[] {calls, largest};
    }

    @Test
    void hugeFunctionsCompareInPlaceAndComputeTheSame(@TempDir Path cache) throws Exception {
        byte[] wasm = module(230);
        CompiledModule rewritten = new ModuleLoader(4, cache, true, 0).load(wasm);
        int[] c = census(cache);
        assertThat(c[1]).as("the function's size").isGreaterThanOrEqualTo(FlatAccesses.DEFAULT_MIN);
        assertThat(c[0]).as("opcode helper calls left").isZero();

        CompiledModule plain = new ModuleLoader(4, null, false, 0).load(wasm);
        for (int seed : new int[] {0, 1, -1, 12345, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            long want = Instance.builder(plain.module()).build().export("f").apply(50, seed)[0];
            Instance compiled =
                    Instance.builder(rewritten.module())
                            .withMachineFactory(rewritten.machineFactory())
                            .build();
            assertThat(compiled.export("f").apply(50, seed)[0]).as("seed %d", seed).isEqualTo(want);
        }
    }

    @Test
    void smallFunctionsKeepTheirCalls(@TempDir Path cache) throws Exception {
        new ModuleLoader(4, cache, true, 0).load(module(23));
        int[] c = census(cache);
        assertThat(c[1]).isLessThan(FlatAccesses.DEFAULT_MIN);
        assertThat(c[0]).as("opcode helper calls").isGreaterThanOrEqualTo(20);
    }
}
