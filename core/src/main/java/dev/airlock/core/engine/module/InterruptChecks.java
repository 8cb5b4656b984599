package dev.airlock.core.engine.module;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
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
 *   <li>In a function of {@value #HUGE} instructions or more (about 7 KB of bytecode and up, where
 *       HotSpot's inlining budget is spent), the checks before direct calls of the module's
 *       functions go, and the function makes one gated check on entry instead (a label with the
 *       entry's frame, then a {@code nop} so that no other frame shares its offset). Calls of
 *       tables ({@code call_indirect}) keep theirs, and so do smaller functions, into which HotSpot
 *       inlines the check.
 * </ul>
 *
 * Any run that does not end still passes checks without end: between two checks, each function
 * activation runs its straight-line code and a bounded number of calls (its loops' back edges are
 * checked, and a function that calls another checked on its entry), so only a finite tree of calls
 * of bounded depth fits between them.
 */
final class InterruptChecks {
    static final String GATE = "dev/airlock/core/engine/run/StopGate";

    /** The size, in instructions, from which a function's call checks move to its entry. */
    static final int HUGE = 3000;

    private InterruptChecks() {}

    /** Rewrites one method's checks; whether any changed. */
    static boolean replace(MethodNode m) {
        if ((m.access & Opcodes.ACC_STATIC) == 0) {
            return false; // Chicory's functions are static; the entry frame below assumes it
        }
        boolean changed = false;
        boolean huge = m.instructions.size() >= HUGE;
        MethodInsnNode removed = null;
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
                } else if (huge && callsFunction(after)) {
                    m.instructions.remove(n);
                    removed = (MethodInsnNode) n;
                    changed = true;
                }
            }
            n = next;
        }
        if (removed != null) {
            checkOnEntry(m, removed);
        }
        if (changed) {
            m.maxStack = Math.max(m.maxStack, 1);
        }
        return changed;
    }

    /** A gated {@code check} before the method's first instruction (static methods only). */
    private static void checkOnEntry(MethodNode m, MethodInsnNode check) {
        LabelNode body = new LabelNode();
        InsnList entry = new InsnList();
        entry.add(new FieldInsnNode(Opcodes.GETSTATIC, GATE, "pending", "I"));
        entry.add(new JumpInsnNode(Opcodes.IFEQ, body));
        entry.add(new MethodInsnNode(Opcodes.INVOKESTATIC, check.owner, check.name, check.desc));
        entry.add(body);
        // the same locals as on entry (the parameters), an empty stack
        entry.add(new FrameNode(Opcodes.F_SAME, 0, null, 0, null));
        entry.add(new InsnNode(Opcodes.NOP));
        m.instructions.insert(entry);
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
     * a direct call of one of the module's functions (its own, its imports' stubs, or pieces).
     */
    private static boolean callsFunction(AbstractInsnNode n) {
        for (int i = 0; i < 2 && n != null && n.getOpcode() == Opcodes.ALOAD; i++) {
            n = nextReal(n);
        }
        if (n == null || n.getOpcode() != Opcodes.INVOKESTATIC) {
            return false;
        }
        MethodInsnNode c = (MethodInsnNode) n;
        return c.owner.contains("Machine") && c.name.startsWith("func_");
    }

    /** The next instruction that is not a label, line number or frame. */
    static AbstractInsnNode nextReal(AbstractInsnNode n) {
        AbstractInsnNode x = n.getNext();
        while (x != null && x.getOpcode() < 0) {
            x = x.getNext();
        }
        return x;
    }
}
