package dev.airlock.core.engine.module;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Makes the pieces of a split function return their values without allocating. A piece hands back
 * the locals its region changed (up to dozens: 35 in bz2's, 7 in CPython's eval loop), and Chicory
 * returns several values as a new {@code long[]} each time, filled by a {@code value_...} method of
 * the module's main class. Its caller is the huge function the piece came from, which HotSpot
 * inlines nothing into, so escape analysis never removes that array: bz2 spent most of its time
 * allocating and filling them. Here each {@code value_...} call that a piece returns at once is
 * replaced by stores into the instance's {@link dev.airlock.core.engine.memory.ResultBuffer}, which
 * the caller reads right after the call, as it read the new array.
 *
 * <p>Only pieces (functions the splitter added, never exported, in no table, called only from their
 * function) are rewritten, and only their returns: an array given to the host or to a host function
 * is always a new one.
 */
final class PieceReturns {
    static final String BUFFER = "dev/airlock/core/engine/memory/ResultBuffer";
    static final String MEMORY = "com/dylibso/chicory/runtime/Memory";

    private PieceReturns() {}

    /** Whether the method {@code name} is a piece: {@code func_N} with N at least the first. */
    static boolean isPiece(String name, int firstPiece) {
        if (firstPiece <= 0 || !name.startsWith("func_")) {
            return false;
        }
        try {
            return Integer.parseInt(name.substring(5)) >= firstPiece;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Rewrites the multi-value returns of one piece; whether there were any. */
    static boolean replace(MethodNode m) {
        int memory = memoryParameter(m);
        if (memory < 0) {
            return false;
        }
        boolean changed = false;
        int scratch = m.maxLocals;
        int used = 0;
        for (AbstractInsnNode n = m.instructions.getFirst(); n != null; ) {
            AbstractInsnNode next = n.getNext();
            if (isPacker(n) && next != null && next.getOpcode() == Opcodes.ARETURN) {
                Type[] values = Type.getArgumentTypes(((MethodInsnNode) n).desc);
                InsnList code = new InsnList();
                used = Math.max(used, store(code, values, memory, scratch));
                m.instructions.insert(n, code);
                m.instructions.remove(n);
                changed = true;
            }
            n = next;
        }
        if (changed) {
            m.maxLocals += used;
            m.maxStack += 6; // the array twice, an index and a long above the values' own slots
        }
        return changed;
    }

    /** A call of the main class's {@code value_...(...)[J}, which packs values into a new array. */
    private static boolean isPacker(AbstractInsnNode n) {
        if (n.getOpcode() != Opcodes.INVOKESTATIC) {
            return false;
        }
        MethodInsnNode c = (MethodInsnNode) n;
        return c.name.startsWith("value_") && c.desc.endsWith(")[J") && c.owner.endsWith("Machine");
    }

    /**
     * The values on the stack (the packer's arguments) go to scratch locals, then into the
     * instance's buffer, which is left on the stack for the return. Returns the slots used.
     */
    private static int store(InsnList l, Type[] values, int memory, int scratch) {
        int[] slot = new int[values.length];
        int next = scratch;
        for (int i = 0; i < values.length; i++) {
            slot[i] = next;
            next += values[i].getSize();
        }
        for (int i = values.length - 1; i >= 0; i--) {
            l.add(new VarInsnNode(values[i].getOpcode(Opcodes.ISTORE), slot[i]));
        }
        l.add(new VarInsnNode(Opcodes.ALOAD, memory));
        l.add(new LdcInsnNode(values.length));
        l.add(
                new MethodInsnNode(
                        Opcodes.INVOKESTATIC, BUFFER, "of", "(L" + MEMORY + ";I)[J", false));
        for (int i = 0; i < values.length; i++) {
            l.add(new InsnNode(Opcodes.DUP));
            l.add(new LdcInsnNode(i));
            l.add(new VarInsnNode(values[i].getOpcode(Opcodes.ILOAD), slot[i]));
            toLong(l, values[i]);
            l.add(new InsnNode(Opcodes.LASTORE));
        }
        return next - scratch;
    }

    /** Chicory's encoding of a value as a long (its {@code Value.floatToLong} and the like). */
    private static void toLong(InsnList l, Type t) {
        switch (t.getSort()) {
            case Type.INT:
                l.add(new InsnNode(Opcodes.I2L));
                break;
            case Type.LONG:
                break;
            case Type.FLOAT:
                l.add(bits("java/lang/Float", "floatToRawIntBits", "(F)I"));
                l.add(new InsnNode(Opcodes.I2L));
                break;
            case Type.DOUBLE:
                l.add(bits("java/lang/Double", "doubleToRawLongBits", "(D)J"));
                break;
            default:
                throw new IllegalArgumentException("a value of type " + t);
        }
    }

    private static MethodInsnNode bits(String owner, String name, String desc) {
        return new MethodInsnNode(Opcodes.INVOKESTATIC, owner, name, desc, false);
    }

    /** The local of the method's {@code Memory} parameter, or -1 if it has none. */
    private static int memoryParameter(MethodNode m) {
        if ((m.access & Opcodes.ACC_STATIC) == 0) {
            return -1;
        }
        int local = 0;
        int found = -1;
        for (Type t : Type.getArgumentTypes(m.desc)) {
            if (t.getSort() == Type.OBJECT && t.getInternalName().equals(MEMORY)) {
                found = local;
            }
            local += t.getSize();
        }
        return found;
    }
}
