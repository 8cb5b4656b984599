package dev.airlock.core.engine.memory;

import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.MutabilityType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.airlock.core.Limits;
import dev.airlock.core.Size;

/**
 * Moves an LLVM-built module's shadow stack (its first global, a mutable {@code i32} holding the
 * stack pointer, which grows down) into fresh pages above its memory, with guard pages below: see
 * {@link dev.airlock.core.InstanceSetup.Builder#shadowStack(long)}. Applied before any guest code
 * of the instance runs, when no C frame is live, so the pointer is the stack's top.
 */
public final class ShadowStack {
    /** 256 KiB of guard pages: a frame larger than that could still jump over them. */
    static final int GUARD_PAGES = 4;

    private static final int PAGE = (int) Limits.PAGE;

    private ShadowStack() {}

    /**
     * Moves the stack of a fresh instance, or, for an instance restored from a snapshot whose stack
     * was moved the same way, puts its guard pages back.
     *
     * @param checked whether the module's code checks every write of its stack pointer ({@link
     *     StackPointer}), which lets the memory go flat, where the guard pages are plain memory
     * @return whether the instance now runs on a moved stack
     */
    public static boolean place(Instance inst, long bytes, boolean restored, boolean checked) {
        if (bytes == 0 || !(inst.memory() instanceof CowMemory)) {
            return false;
        }
        CowMemory memory = (CowMemory) inst.memory();
        GlobalInstance sp = stackPointer(inst);
        if (sp == null) {
            return false;
        }
        int stackPages = (int) (bytes / PAGE);
        String message =
                "limit exceeded: stack (the guest's C stack of " + Size.format(bytes) + ")";
        long top = Integer.toUnsignedLong((int) sp.getValue());
        if (restored && top % PAGE == 0) {
            long guard = top / PAGE - stackPages - GUARD_PAGES;
            if (guard >= 0 && top / PAGE <= memory.pages()) {
                memory.guard((int) guard, GUARD_PAGES, message, checked);
                return true;
            }
        }
        int first = memory.grow(GUARD_PAGES + stackPages);
        if (first < 0) {
            return false; // the memory cannot grow that much: the module's own stack stays
        }
        memory.guard(first, GUARD_PAGES, message, checked);
        sp.setValue((long) (first + GUARD_PAGES + stackPages) * PAGE);
        return true;
    }

    private static GlobalInstance stackPointer(Instance inst) {
        try {
            GlobalInstance g = inst.global(0);
            return ValType.I32.equals(g.getType()) && g.getMutabilityType() == MutabilityType.Var
                    ? g
                    : null;
        } catch (RuntimeException e) {
            return null; // no globals
        }
    }
}
