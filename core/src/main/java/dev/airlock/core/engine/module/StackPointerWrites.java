package dev.airlock.core.engine.module;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Sends a compiled function's writes of global 0 (an LLVM module's stack pointer, {@code global.set
 * 0}, which Chicory compiles to a call of its {@code writeGlobal(value, 0, instance)}) through
 * {@link dev.airlock.core.engine.memory.StackPointer}, which checks the pointer against the
 * memory's guard pages. The call keeps its arguments and descriptor, so nothing else changes: no
 * instruction is added, no frame.
 */
final class StackPointerWrites {
    static final String OWNER = "dev/airlock/core/engine/memory/StackPointer";
    static final String DESC = "(JILcom/dylibso/chicory/runtime/Instance;)V";

    private StackPointerWrites() {}

    /** Redirects the method's writes of global 0; whether there were any. */
    static boolean replace(MethodNode m) {
        boolean changed = false;
        for (AbstractInsnNode n = m.instructions.getFirst(); n != null; n = n.getNext()) {
            if (isWriteOfGlobalZero(n)) {
                ((MethodInsnNode) n).owner = OWNER;
                changed = true;
            }
        }
        return changed;
    }

    private static boolean isWriteOfGlobalZero(AbstractInsnNode n) {
        if (n.getOpcode() != Opcodes.INVOKESTATIC) {
            return false;
        }
        MethodInsnNode call = (MethodInsnNode) n;
        if (!call.name.equals("writeGlobal") || !call.desc.equals(DESC)) {
            return false;
        }
        AbstractInsnNode instance = real(call.getPrevious());
        AbstractInsnNode index = instance == null ? null : real(instance.getPrevious());
        return instance != null
                && instance.getOpcode() == Opcodes.ALOAD
                && index != null
                && index.getOpcode() == Opcodes.ICONST_0;
    }

    private static AbstractInsnNode real(AbstractInsnNode n) {
        while (n != null && n.getOpcode() < 0) {
            n = n.getPrevious();
        }
        return n;
    }
}
