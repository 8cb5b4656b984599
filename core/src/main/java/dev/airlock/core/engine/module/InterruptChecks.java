package dev.airlock.core.engine.module;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Makes the interrupt checks of compiled guest code cheap where HotSpot cannot inline them. Chicory
 * calls {@code checkInterruption()} (the thread's interrupt flag) before every call and at every
 * loop back edge; in a function above HotSpot's inlining budget, such as CPython's eval loop after
 * splitting (435 of them in 19.5 KB of bytecode), each is a real call, which spills every live
 * value around it. Two changes:
 *
 * <ul>
 *   <li>At a back edge ({@code checkInterruption(); goto L}) the call is made only while {@link
 *       dev.airlock.core.engine.run.StopGate#pending} is not zero: a field read and a branch to
 *       {@code L}, which already has a stack map frame, so none is needed.
 *   <li>Before a call of a piece of a split function the check goes: a piece is called only by its
 *       own function, a bounded number of times unless from a loop, whose back edge is checked, and
 *       it checks its own loops and calls. Any run that does not end therefore still passes checks
 *       without end.
 * </ul>
 *
 * Every other check (before calls of other functions) stays as it is.
 */
final class InterruptChecks {
    static final String GATE = "dev/airlock/core/engine/run/StopGate";

    private InterruptChecks() {}

    /** Rewrites one method's checks; whether any changed. */
    static boolean replace(MethodNode m, int firstPiece) {
        boolean changed = false;
        for (AbstractInsnNode n = m.instructions.getFirst(); n != null; ) {
            AbstractInsnNode next = n.getNext();
            if (isCheck(n)) {
                AbstractInsnNode after = nextReal(n);
                if (after != null && after.getOpcode() == Opcodes.GOTO) {
                    InsnList gate = new InsnList();
                    gate.add(new FieldInsnNode(Opcodes.GETSTATIC, GATE, "pending", "I"));
                    gate.add(new JumpInsnNode(Opcodes.IFEQ, ((JumpInsnNode) after).label));
                    m.instructions.insertBefore(n, gate);
                    changed = true;
                } else if (callsPiece(after, firstPiece)) {
                    m.instructions.remove(n);
                    changed = true;
                }
            }
            n = next;
        }
        if (changed) {
            m.maxStack = Math.max(m.maxStack, 1);
        }
        return changed;
    }

    private static boolean isCheck(AbstractInsnNode n) {
        if (n.getOpcode() != Opcodes.INVOKESTATIC) {
            return false;
        }
        MethodInsnNode c = (MethodInsnNode) n;
        return c.name.equals("checkInterruption")
                && c.desc.equals("()V")
                && c.owner.endsWith("MachineShaded");
    }

    /**
     * Whether {@code n}, skipping up to two {@code aload}s (the memory and instance arguments), is
     * a call of a piece.
     */
    private static boolean callsPiece(AbstractInsnNode n, int firstPiece) {
        for (int i = 0; i < 2 && n != null && n.getOpcode() == Opcodes.ALOAD; i++) {
            n = nextReal(n);
        }
        if (n == null || n.getOpcode() != Opcodes.INVOKESTATIC) {
            return false;
        }
        MethodInsnNode c = (MethodInsnNode) n;
        return c.owner.contains("Machine") && PieceReturns.isPiece(c.name, firstPiece);
    }

    /** The next instruction that is not a label, line number or frame. */
    private static AbstractInsnNode nextReal(AbstractInsnNode n) {
        AbstractInsnNode x = n.getNext();
        while (x != null && x.getOpcode() < 0) {
            x = x.getNext();
        }
        return x;
    }
}
