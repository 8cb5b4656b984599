package dev.airlock.core.engine.module;

import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Puts comparisons in place of Chicory's helper calls, in functions too big for HotSpot to inline
 * anything into. Chicory compiles a comparison whose result is a value ({@code i32.eqz}, {@code
 * i64.lt_u} and the like, where the result is not branched on at once) to a call of a static method
 * of its {@code OpcodeImpl}, and the unsigned ones call {@code Integer.compareUnsigned} or {@code
 * Long.compareUnsigned} in turn. C2 inlines none of them into a function past its inlining budget
 * (see {@link FlatAccesses}), so each is a real call that spills every live value around it: in
 * QuickJS's dispatch loop one such call sat on the path of its most frequent opcode.
 *
 * <p>Each call of a comparison of two {@code i32} or two {@code i64} values (signed or unsigned),
 * of {@code i32.eqz}, {@code i64.eqz} or {@code i64.extend_i32_u} becomes the JVM's own compare and
 * branch, pushing 1 or 0 as the helper returns; an unsigned comparison compares both operands with
 * their sign bits flipped, which orders them as unsigned values. Other helpers stay calls. The new
 * branches need stack map frames, so the class is written with its frames computed ({@link
 * ClassRewrite#rewriteComputingFrames}). Applies from the size at which {@link FlatAccesses} does.
 */
final class OpcodeCalls {
    static final String OPCODES = "com/dylibso/chicory/runtime/OpcodeImpl";

    /** A comparison: its operands' type, whether unsigned, and the branch taken when it holds. */
    private record Compare(boolean wide, boolean unsigned, int holds) {}

    private static final Map<String, Compare> COMPARES = compares();

    /**
     * Whether the pass is off: the system property {@code airlock.jit.opcodes=calls} (for
     * comparisons; the module cache keeps such classes apart).
     */
    static final boolean OFF = "calls".equals(System.getProperty("airlock.jit.opcodes"));

    /**
     * The size, in instructions, from which a function's comparisons are put in place: {@code
     * -Dairlock.jit.opcodes.min=N} (for comparisons; the module cache keeps such classes apart), by
     * default where {@link FlatAccesses} applies.
     */
    static final int MIN_INSTRUCTIONS =
            Integer.getInteger("airlock.jit.opcodes.min", FlatAccesses.MIN_INSTRUCTIONS);

    private OpcodeCalls() {}

    private static Map<String, Compare> compares() {
        Map<String, Compare> m = new HashMap<>();
        // for i32 the two-operand branch; for i64 the branch on lcmp's result
        int[][] ops = {
            {Opcodes.IF_ICMPEQ, Opcodes.IFEQ},
            {Opcodes.IF_ICMPNE, Opcodes.IFNE},
            {Opcodes.IF_ICMPLT, Opcodes.IFLT},
            {Opcodes.IF_ICMPGT, Opcodes.IFGT},
            {Opcodes.IF_ICMPLE, Opcodes.IFLE},
            {Opcodes.IF_ICMPGE, Opcodes.IFGE}
        };
        String[] names = {"EQ", "NE", "LT", "GT", "LE", "GE"};
        for (int i = 0; i < names.length; i++) {
            for (boolean wide : new boolean[] {false, true}) {
                String prefix = wide ? "I64_" : "I32_";
                int branch = ops[i][wide ? 1 : 0];
                if (i < 2) {
                    m.put(prefix + names[i], new Compare(wide, false, branch));
                } else {
                    m.put(prefix + names[i] + "_S", new Compare(wide, false, branch));
                    m.put(prefix + names[i] + "_U", new Compare(wide, true, branch));
                }
            }
        }
        return Map.copyOf(m);
    }

    /**
     * Rewrites the method's comparison calls when it is huge; whether there were any.
     *
     * @param size the method's {@link FlatAccesses#sizeWithoutFrames} before any pass that adds
     *     code to it
     */
    static boolean replace(MethodNode m, int size) {
        if (OFF || MIN_INSTRUCTIONS < 0 || size < MIN_INSTRUCTIONS) {
            return false;
        }
        return replaceAll(m);
    }

    /** Rewrites every comparison call of the method, whatever its size; whether there were any. */
    static boolean replaceAll(MethodNode m) {
        boolean changed = false;
        for (AbstractInsnNode n = m.instructions.getFirst(); n != null; ) {
            AbstractInsnNode next = n.getNext();
            InsnList code = inPlace(n);
            if (code != null) {
                m.instructions.insertBefore(n, code);
                m.instructions.remove(n);
                changed = true;
            }
            n = next;
        }
        if (changed) {
            m.maxStack += 4; // the flipped operand beside the other, and an i64 swap
        }
        return changed;
    }

    /** The code for one helper call, its operands on the stack; null if it stays a call. */
    private static InsnList inPlace(AbstractInsnNode n) {
        if (n.getOpcode() != Opcodes.INVOKESTATIC) {
            return null;
        }
        MethodInsnNode c = (MethodInsnNode) n;
        if (!c.owner.equals(OPCODES)) {
            return null;
        }
        InsnList code = new InsnList();
        switch (c.name + c.desc) {
            case "I32_EQZ(I)I":
                return bool(code, Opcodes.IFEQ);
            case "I64_EQZ(J)I":
                code.add(new InsnNode(Opcodes.LCONST_0));
                code.add(new InsnNode(Opcodes.LCMP));
                return bool(code, Opcodes.IFEQ);
            case "I64_EXTEND_I32_U(I)J":
                code.add(new InsnNode(Opcodes.I2L));
                code.add(new LdcInsnNode(0xFFFF_FFFFL));
                code.add(new InsnNode(Opcodes.LAND));
                return code;
            default:
                break;
        }
        Compare k = COMPARES.get(c.name);
        if (k == null || !c.desc.equals(k.wide ? "(JJ)I" : "(II)I")) {
            return null;
        }
        if (k.unsigned) {
            flipSigns(code, k.wide);
        }
        if (k.wide) {
            code.add(new InsnNode(Opcodes.LCMP));
        }
        return bool(code, k.holds);
    }

    /**
     * [a b] to [a^MIN b^MIN]: the operands with their sign bits flipped, which the signed compare
     * then orders as unsigned values.
     */
    private static void flipSigns(InsnList code, boolean wide) {
        if (wide) {
            code.add(new LdcInsnNode(Long.MIN_VALUE));
            code.add(new InsnNode(Opcodes.LXOR)); // [a b']
            code.add(new InsnNode(Opcodes.DUP2_X2));
            code.add(new InsnNode(Opcodes.POP2)); // [b' a]
            code.add(new LdcInsnNode(Long.MIN_VALUE));
            code.add(new InsnNode(Opcodes.LXOR)); // [b' a']
            code.add(new InsnNode(Opcodes.DUP2_X2));
            code.add(new InsnNode(Opcodes.POP2)); // [a' b']
        } else {
            code.add(new LdcInsnNode(Integer.MIN_VALUE));
            code.add(new InsnNode(Opcodes.IXOR)); // [a b']
            code.add(new InsnNode(Opcodes.SWAP));
            code.add(new LdcInsnNode(Integer.MIN_VALUE));
            code.add(new InsnNode(Opcodes.IXOR)); // [b' a']
            code.add(new InsnNode(Opcodes.SWAP)); // [a' b']
        }
    }

    /** {@code branch} to push 1, else 0. */
    private static InsnList bool(InsnList code, int branch) {
        LabelNode holds = new LabelNode();
        LabelNode done = new LabelNode();
        code.add(new JumpInsnNode(branch, holds));
        code.add(new InsnNode(Opcodes.ICONST_0));
        code.add(new JumpInsnNode(Opcodes.GOTO, done));
        code.add(holds);
        code.add(new InsnNode(Opcodes.ICONST_1));
        code.add(done);
        return code;
    }
}
