package dev.airlock.core.engine.module;

import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Puts the flat-mode path of a load in place of Chicory's helper call, in functions too big for
 * HotSpot to inline anything into. Chicory compiles {@code i32.load} to a call of its {@code
 * memoryReadInt(base, offset, memory)} (and so on for each width and type); C2 inlines a call only
 * while the function's own bytecode and what it inlined stay under its budget of 8,000 bytes
 * ({@code DesiredMethodLimit}), so in QuickJS's dispatch loop (19 KB) every load was a real call,
 * which spills every live value around it: with memories flat (see {@code FlatTable}), the load
 * helpers' own code was a seventh of {@code nbody.js}'s samples (perf), nearly all called from that
 * one function.
 *
 * <p>Each call site of a load of 1, 2 or 4 bytes becomes: the address as Chicory computes it
 * ({@code base < 0 ? base : base + offset}); when the memory is a {@link #COW} whose flat array
 * (empty in chunk mode) holds the whole access there, the load from the array through a {@link
 * java.lang.invoke.VarHandle} view (a single byte directly); otherwise the original call at that
 * address, which counts chunk-mode accesses, goes flat and reports an access out of bounds exactly
 * as before. The view checks the array's bounds itself, so nothing here reaches outside the array,
 * and HotSpot inlines the view's methods whatever its budget (they are marked to be forced), so the
 * fast path is a few compares and one load. Stores stay calls: put in place too they grew QuickJS's
 * dispatch loop from 19 to 51 KB of bytecode and made C2 take five times as long over it, for no
 * more speed than the loads alone gave. The new branches need new stack map frames, so the class is
 * written with its frames computed ({@link ClassRewrite#rewriteComputingFrames}).
 */
final class FlatAccesses {
    static final String COW = "dev/airlock/core/engine/memory/CowMemory";
    static final String VIEWS = "dev/airlock/core/engine/memory/FlatViews";
    private static final String VH = "java/lang/invoke/VarHandle";
    private static final String MEMORY = "Lcom/dylibso/chicory/runtime/Memory;";

    /** The default of {@link #MIN_INSTRUCTIONS}: where the interrupt checks move too. */
    static final int DEFAULT_MIN = InterruptChecks.HUGE;

    /**
     * The size, in instructions, from which a function's loads are put in place: {@code
     * -Dairlock.jit.flatAccess=N} (a negative value turns the pass off; for comparisons, and the
     * module cache keeps such classes apart).
     */
    static final int MIN_INSTRUCTIONS = Integer.getInteger("airlock.jit.flatAccess", DEFAULT_MIN);

    /**
     * The load helpers put in place: 8-byte and floating-point loads stay calls (with them too,
     * QuickJS's dispatch loop grows by another 9 KB, for no gain that measures showed).
     */
    private record Load(Type value, int size) {}

    private static final Map<String, Load> LOADS =
            Map.of(
                    "memoryReadByte", new Load(Type.BYTE_TYPE, 1),
                    "memoryReadShort", new Load(Type.SHORT_TYPE, 2),
                    "memoryReadInt", new Load(Type.INT_TYPE, 4));

    private FlatAccesses() {}

    /**
     * Rewrites the method's load calls when it is huge; whether there were any.
     *
     * @param size the method's {@link #sizeWithoutFrames} before any pass that adds code to it
     */
    static boolean replace(MethodNode m, int size) {
        if (MIN_INSTRUCTIONS < 0 || size < MIN_INSTRUCTIONS) {
            return false;
        }
        int scratch = m.maxLocals; // the memory, its array, the address: past the method's own
        boolean changed = false;
        for (AbstractInsnNode n = m.instructions.getFirst(); n != null; ) {
            AbstractInsnNode next = n.getNext();
            Load load = load(n);
            if (load != null) {
                m.instructions.insertBefore(n, inPlace((MethodInsnNode) n, load, scratch));
                m.instructions.remove(n);
                changed = true;
            }
            n = next;
        }
        if (changed) {
            m.maxLocals = scratch + 3;
        }
        return changed;
    }

    /**
     * The method's size in instructions and labels, its stack map frames left out: they are
     * computed again once this pass has changed the method, and the size decides the same whether
     * the method was read with its frames or without.
     */
    static int sizeWithoutFrames(MethodNode m) {
        int n = m.instructions.size();
        for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
            n -= i.getType() == AbstractInsnNode.FRAME ? 1 : 0;
        }
        return n;
    }

    private static Load load(AbstractInsnNode n) {
        if (n.getOpcode() != Opcodes.INVOKESTATIC) {
            return null;
        }
        MethodInsnNode c = (MethodInsnNode) n;
        Load load = LOADS.get(c.name);
        if (load == null || !c.owner.endsWith("MachineShaded")) {
            return null;
        }
        return c.desc.equals("(II" + MEMORY + ")" + load.value.getDescriptor()) ? load : null;
    }

    /** The code that replaces one call, with the call's arguments on the stack. */
    private static InsnList inPlace(MethodInsnNode call, Load load, int scratch) {
        int memory = scratch;
        int array = scratch + 1;
        int addr = scratch + 2;
        LabelNode slow = new LabelNode();
        LabelNode done = new LabelNode();
        InsnList c = new InsnList();
        // [base offset memory]
        c.add(new VarInsnNode(Opcodes.ASTORE, memory));
        // Chicory's address, base < 0 ? base : base + offset, as base + (offset & ~(base >> 31))
        c.add(new InsnNode(Opcodes.SWAP));
        c.add(new InsnNode(Opcodes.DUP_X1));
        c.add(new IntInsnNode(Opcodes.BIPUSH, 31));
        c.add(new InsnNode(Opcodes.ISHR));
        c.add(new InsnNode(Opcodes.ICONST_M1));
        c.add(new InsnNode(Opcodes.IXOR));
        c.add(new InsnNode(Opcodes.IAND));
        c.add(new InsnNode(Opcodes.IADD));
        c.add(new VarInsnNode(Opcodes.ISTORE, addr));
        // a CowMemory's flat array (empty in chunk mode, so that every load takes the call)
        c.add(new VarInsnNode(Opcodes.ALOAD, memory));
        c.add(new TypeInsnNode(Opcodes.INSTANCEOF, COW));
        c.add(new JumpInsnNode(Opcodes.IFEQ, slow));
        c.add(new VarInsnNode(Opcodes.ALOAD, memory));
        c.add(new TypeInsnNode(Opcodes.CHECKCAST, COW));
        c.add(new FieldInsnNode(Opcodes.GETFIELD, COW, "flat", "[B"));
        c.add(new VarInsnNode(Opcodes.ASTORE, array));
        // 0 <= addr <= length - size (never for the empty array)
        c.add(new VarInsnNode(Opcodes.ILOAD, addr));
        c.add(new JumpInsnNode(Opcodes.IFLT, slow));
        c.add(new VarInsnNode(Opcodes.ILOAD, addr));
        c.add(new VarInsnNode(Opcodes.ALOAD, array));
        c.add(new InsnNode(Opcodes.ARRAYLENGTH));
        c.add(new IntInsnNode(Opcodes.BIPUSH, load.size));
        c.add(new InsnNode(Opcodes.ISUB));
        c.add(new JumpInsnNode(Opcodes.IF_ICMPGT, slow));
        if (load.size == 1) {
            c.add(new VarInsnNode(Opcodes.ALOAD, array));
            c.add(new VarInsnNode(Opcodes.ILOAD, addr));
            c.add(new InsnNode(Opcodes.BALOAD));
        } else {
            c.add(new FieldInsnNode(Opcodes.GETSTATIC, VIEWS, view(load.value), "L" + VH + ";"));
            c.add(new VarInsnNode(Opcodes.ALOAD, array));
            c.add(new VarInsnNode(Opcodes.ILOAD, addr));
            String get = "([BI)" + load.value.getDescriptor();
            c.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, VH, "get", get));
        }
        c.add(new JumpInsnNode(Opcodes.GOTO, done));
        // the helper itself, at that address (from which it computes the same address again):
        // chunk mode, other memories, and loads out of bounds, reported as they were
        c.add(slow);
        c.add(new VarInsnNode(Opcodes.ILOAD, addr));
        c.add(new InsnNode(Opcodes.ICONST_0));
        c.add(new VarInsnNode(Opcodes.ALOAD, memory));
        c.add(new MethodInsnNode(Opcodes.INVOKESTATIC, call.owner, call.name, call.desc));
        c.add(done);
        return c;
    }

    private static String view(Type t) {
        return t.getSort() == Type.SHORT ? "SHORT" : "INT";
    }
}
