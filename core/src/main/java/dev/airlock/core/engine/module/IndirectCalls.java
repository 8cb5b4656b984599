package dev.airlock.core.engine.module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Makes the front of a {@code call_indirect} small enough for HotSpot to inline. Chicory compiles
 * each function type's indirect call to one static method of the module's main class, {@code
 * call_indirect_N}: the interrupt check, the table's entry ({@code Instance.table}, {@code
 * TableInstance.requiredRef}, {@code instance}), then a {@code lookupswitch} over every function of
 * that type in the module, each case a call of its function. For a type with many functions
 * (CPython's {@code void (i32)} has 827) the method is about 10 KB of bytecode: HotSpot inlines it
 * into no caller, and inlines nothing into it, so each indirect call paid four real calls besides
 * the target's (4% of settled {@code nbody.py}'s samples were in that method and those helpers
 * themselves).
 *
 * <p>Here the switch and its cases move into a method of their own, {@code indirect_targets_N},
 * which takes the target's arguments and its function index; {@code call_indirect_N} calls it where
 * the switch was. What is left is a few dozen bytes, which HotSpot inlines with the table lookups
 * into the callers (huge functions excepted), so an indirect call becomes the lookup in place and
 * one call of the switch. Only methods too big for C2 to inline anything into ({@link
 * #SPLIT_BYTES}) are changed: a smaller one has its lookups inlined already, and a huge function,
 * which calls it without inlining, would pay one call more. The traps (no entry, a null entry,
 * another type) are Chicory's own code as before, and a switch whose cases are not all a call and a
 * return leaves the method as it was.
 */
final class IndirectCalls {
    /**
     * Whether the pass is off: {@code -Dairlock.jit.indirect=whole} (for comparisons; the module
     * cache keeps such classes apart).
     */
    static final boolean OFF = "whole".equals(System.getProperty("airlock.jit.indirect"));

    /**
     * The estimated size, in bytes of bytecode, from which a method is split: HotSpot's C2 inlines
     * nothing into a method of its {@code DesiredMethodLimit} (8,000 bytes) or more, so from a
     * little below it the table lookups stay real calls. A smaller method keeps them inlined, and
     * splitting it would only add a call where it is called from a huge function.
     */
    static final int SPLIT_BYTES = 7_500;

    /** The bytecode of the method around the switch: the check, the lookups, the other instance. */
    private static final int FRONT_BYTES = 60;

    static final String PREFIX = "call_indirect_";
    static final String TARGETS = "indirect_targets_";

    private IndirectCalls() {}

    /**
     * The main class with each large {@code call_indirect_N} split in two; {@code classFile} itself
     * when none is, or when the class cannot be read or written (this never throws).
     */
    static byte[] rewrite(byte[] classFile) {
        if (OFF) {
            return classFile;
        }
        try {
            ClassReader reader = new ClassReader(classFile);
            if (!anyLarge(reader)) {
                return classFile; // most modules: no type has that many functions
            }
            ClassWriter writer = new ClassWriter(0);
            List<MethodNode> added = new ArrayList<>();
            String[] owner = {null};
            reader.accept(
                    new ClassVisitor(Opcodes.ASM9, writer) {
                        @Override
                        public void visit(
                                int version,
                                int access,
                                String name,
                                String sig,
                                String superName,
                                String[] interfaces) {
                            owner[0] = name;
                            super.visit(version, access, name, sig, superName, interfaces);
                        }

                        @Override
                        public MethodVisitor visitMethod(
                                int access, String name, String desc, String sig, String[] ex) {
                            MethodVisitor out = super.visitMethod(access, name, desc, sig, ex);
                            if (!name.startsWith(PREFIX) || (access & Opcodes.ACC_STATIC) == 0) {
                                return out;
                            }
                            return new MethodNode(Opcodes.ASM9, access, name, desc, sig, ex) {
                                @Override
                                public void visitEnd() {
                                    MethodNode targets = split(owner[0], this);
                                    if (targets != null) {
                                        added.add(targets);
                                    }
                                    accept(out);
                                }
                            };
                        }

                        @Override
                        public void visitEnd() {
                            for (MethodNode m : added) {
                                m.accept(cv);
                            }
                            super.visitEnd();
                        }
                    },
                    ClassReader.EXPAND_FRAMES);
            return added.isEmpty() ? classFile : writer.toByteArray();
        } catch (RuntimeException e) {
            return classFile;
        }
    }

    /**
     * Whether some {@code call_indirect_N} may be large enough to split: a read of those methods'
     * switches only, every other method skipped, so that a class with none is not rewritten.
     */
    private static boolean anyLarge(ClassReader reader) {
        boolean[] found = {false};
        reader.accept(
                new ClassVisitor(Opcodes.ASM9) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String desc, String sig, String[] ex) {
                        if (found[0] || !name.startsWith(PREFIX)) {
                            return null;
                        }
                        return new MethodVisitor(Opcodes.ASM9) {
                            @Override
                            public void visitLookupSwitchInsn(
                                    Label dflt, int[] keys, Label[] labels) {
                                found[0] |=
                                        worthSplitting(lookupBytes(keys.length), labels.length + 1);
                            }

                            @Override
                            public void visitTableSwitchInsn(
                                    int min, int max, Label dflt, Label... labels) {
                                found[0] |=
                                        worthSplitting(
                                                tableBytes(labels.length), labels.length + 1);
                            }
                        };
                    }
                },
                ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
        return found[0];
    }

    /** Whether a method with a switch of that many bytes and cases is worth splitting. */
    private static boolean worthSplitting(int switchBytes, int cases) {
        return FRONT_BYTES + switchBytes + 4 * cases >= SPLIT_BYTES;
    }

    /**
     * Moves the switch of {@code m} and its cases into a new method, which it returns after
     * changing {@code m} to call it; null, with {@code m} unchanged, when {@code m} is small or not
     * of the expected shape.
     */
    static MethodNode split(String owner, MethodNode m) {
        AbstractInsnNode sw = onlySwitch(m);
        if (sw == null) {
            return null;
        }
        Set<LabelNode> labels = new LinkedHashSet<>(switchLabels(sw));
        Map<AbstractInsnNode, Case> cases = new LinkedHashMap<>(); // by their call
        String caseDesc = null;
        for (LabelNode l : labels) {
            AbstractInsnNode call = call(l, labels);
            AbstractInsnNode end = call == null ? null : InterruptChecks.nextReal(call);
            if (end == null) {
                return null;
            }
            if (end.getOpcode() != Opcodes.ATHROW) {
                // every case calls a function of the same type and returns what it returned
                String d = ((MethodInsnNode) call).desc;
                boolean returnsIt =
                        end.getOpcode() == Type.getReturnType(d).getOpcode(Opcodes.IRETURN);
                if (!returnsIt || (caseDesc != null && !caseDesc.equals(d))) {
                    return null;
                }
                caseDesc = d;
            }
            cases.computeIfAbsent(call, c -> new Case(c, end, new ArrayList<>())).labels().add(l);
        }
        if (caseDesc == null
                || referencedElsewhere(m, sw, labels)
                || !worthSplitting(switchBytes(sw), cases.size())) {
            return null;
        }
        Type[] args = Type.getArgumentTypes(caseDesc);
        Type ret = Type.getReturnType(caseDesc);
        Type[] params = new Type[args.length + 1];
        System.arraycopy(args, 0, params, 0, args.length);
        params[args.length] = Type.INT_TYPE;
        String desc = Type.getMethodDescriptor(ret, params);
        String name = TARGETS + m.name.substring(PREFIX.length());

        MethodNode t =
                new MethodNode(
                        Opcodes.ASM9,
                        Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
                        name,
                        desc,
                        null,
                        null);
        int slot = 0;
        for (Type p : params) {
            t.instructions.add(new VarInsnNode(p.getOpcode(Opcodes.ILOAD), slot));
            slot += p.getSize();
        }
        Object[] locals = frameTypes(params);
        Object[] stack = frameTypes(args);
        InsnList front = new InsnList();
        front.add(new MethodInsnNode(Opcodes.INVOKESTATIC, owner, name, desc, false));
        front.add(new InsnNode(ret.getOpcode(Opcodes.IRETURN)));
        m.instructions.insertBefore(sw, front);
        m.instructions.remove(sw);
        t.instructions.add(sw);
        for (Case c : cases.values()) {
            removeBlock(m.instructions, labels, c.call(), c.end());
            for (LabelNode l : c.labels()) {
                t.instructions.add(l);
            }
            t.instructions.add(
                    new FrameNode(Opcodes.F_NEW, locals.length, locals, stack.length, stack));
            t.instructions.add(c.call());
            t.instructions.add(c.end());
        }
        t.maxLocals = slot;
        t.maxStack = slot;
        return t;
    }

    /** A case of the switch: its call, the return or throw after it, the labels that lead to it. */
    private record Case(AbstractInsnNode call, AbstractInsnNode end, List<LabelNode> labels) {}

    /** The method's one switch, or null if it has none or several. */
    private static AbstractInsnNode onlySwitch(MethodNode m) {
        AbstractInsnNode found = null;
        for (AbstractInsnNode n : m.instructions) {
            int op = n.getOpcode();
            if (op == Opcodes.LOOKUPSWITCH || op == Opcodes.TABLESWITCH) {
                if (found != null) {
                    return null;
                }
                found = n;
            }
        }
        return found;
    }

    private static List<LabelNode> switchLabels(AbstractInsnNode sw) {
        List<LabelNode> out = new ArrayList<>();
        if (sw instanceof LookupSwitchInsnNode) {
            out.addAll(((LookupSwitchInsnNode) sw).labels);
            out.add(((LookupSwitchInsnNode) sw).dflt);
        } else {
            out.addAll(((TableSwitchInsnNode) sw).labels);
            out.add(((TableSwitchInsnNode) sw).dflt);
        }
        return out;
    }

    /** The switch's own bytes (its table), as the class file holds it, padding left out. */
    private static int switchBytes(AbstractInsnNode sw) {
        if (sw instanceof LookupSwitchInsnNode) {
            return lookupBytes(((LookupSwitchInsnNode) sw).keys.size());
        }
        TableSwitchInsnNode t = (TableSwitchInsnNode) sw;
        return tableBytes(t.max - t.min + 1);
    }

    private static int lookupBytes(int keys) {
        return 9 + 8 * keys;
    }

    private static int tableBytes(int entries) {
        return 13 + 4 * entries;
    }

    /**
     * The call that the case at {@code l} starts with, with nothing but other case labels, frames
     * and line numbers before it; null if the case starts otherwise.
     */
    private static AbstractInsnNode call(LabelNode l, Set<LabelNode> labels) {
        AbstractInsnNode n = l.getNext();
        while (n != null && n.getOpcode() < 0) {
            if (n instanceof LabelNode && !labels.contains(n)) {
                return null;
            }
            n = n.getNext();
        }
        return n != null && n.getOpcode() == Opcodes.INVOKESTATIC ? n : null;
    }

    /**
     * Whether a jump or a line number refers to one of the switch's labels (the method has no other
     * switch: {@link #onlySwitch}), or the method has handlers or local variable names (Chicory's
     * have neither), which this does not move.
     */
    private static boolean referencedElsewhere(
            MethodNode m, AbstractInsnNode sw, Set<LabelNode> labels) {
        for (AbstractInsnNode n : m.instructions) {
            if (n == sw) {
                continue;
            }
            if (n instanceof JumpInsnNode && labels.contains(((JumpInsnNode) n).label)) {
                return true;
            }
            if (n instanceof LineNumberNode && labels.contains(((LineNumberNode) n).start)) {
                return true;
            }
        }
        boolean locals = m.localVariables != null && !m.localVariables.isEmpty();
        return locals || (m.tryCatchBlocks != null && !m.tryCatchBlocks.isEmpty());
    }

    /**
     * Removes the call, its end, and the labels, frames and line numbers right before the call (the
     * case's labels, which {@link #call} allowed there and which move with the case).
     */
    private static void removeBlock(
            InsnList list, Set<LabelNode> labels, AbstractInsnNode call, AbstractInsnNode end) {
        AbstractInsnNode n = call.getPrevious();
        while (n != null
                && n.getOpcode() < 0
                && (!(n instanceof LabelNode) || labels.contains(n))) {
            AbstractInsnNode prev = n.getPrevious();
            list.remove(n);
            n = prev;
        }
        list.remove(call);
        list.remove(end);
    }

    /** The types as an expanded stack map frame lists them (a long or double as one entry). */
    private static Object[] frameTypes(Type[] types) {
        Object[] out = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            switch (types[i].getSort()) {
                case Type.BOOLEAN:
                case Type.BYTE:
                case Type.CHAR:
                case Type.SHORT:
                case Type.INT:
                    out[i] = Opcodes.INTEGER;
                    break;
                case Type.LONG:
                    out[i] = Opcodes.LONG;
                    break;
                case Type.FLOAT:
                    out[i] = Opcodes.FLOAT;
                    break;
                case Type.DOUBLE:
                    out[i] = Opcodes.DOUBLE;
                    break;
                default:
                    out[i] = types[i].getInternalName();
            }
        }
        return out;
    }
}
