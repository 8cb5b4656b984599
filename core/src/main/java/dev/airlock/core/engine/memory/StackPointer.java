package dev.airlock.core.engine.memory;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;

/**
 * Where compiled guest code writes global 0, an LLVM module's stack pointer (the module cache's
 * classes call this instead of Chicory's own {@code writeGlobal}; see {@code StackPointerWrites}):
 * a memory with guard pages below its stack checks the new pointer first ({@link
 * ChunkTable#stackPointer}), so that a stack overflow is caught where the guard pages are plain
 * memory (flat mode).
 */
public final class StackPointer {
    private StackPointer() {}

    /** Chicory's {@code writeGlobal(value, index, instance)}, with the check for global 0. */
    public static void writeGlobal(long value, int index, Instance instance) {
        if (index == 0) {
            Memory m = instance.memory();
            if (m instanceof ChunkTable) {
                ((ChunkTable) m).stackPointer((int) value);
            }
        }
        instance.global(index).setValue(value);
    }
}
