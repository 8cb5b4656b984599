package dev.airlock.core.engine.memory;

import com.dylibso.chicory.runtime.ConstantEvaluators;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.UninstantiableException;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.PassiveDataSegment;

/** Writes a module's active data segments into a {@link CowMemory} when it is instantiated. */
final class ActiveSegments {
    private ActiveSegments() {}

    /**
     * Copies each active segment of memory {@code memoryIndex} to the offset its constant
     * expression gives; passive segments are left for {@code memory.init}.
     *
     * @throws UninstantiableException if a segment does not fit in the memory
     * @throws ChicoryException if a segment is neither active nor passive
     */
    static void write(
            Instance instance, DataSegment[] segments, int memoryIndex, CowMemory memory) {
        for (DataSegment s : segments) {
            if (s instanceof ActiveDataSegment) {
                ActiveDataSegment a = (ActiveDataSegment) s;
                if (a.index() != memoryIndex) {
                    continue;
                }
                int at =
                        (int)
                                ConstantEvaluators.computeConstantValue(
                                        instance, a.offsetInstructions())[0];
                ChunkTable.check(at, a.data().length, memory.size(), UninstantiableException::new);
                memory.write(at, a.data(), 0, a.data().length);
            } else if (!(s instanceof PassiveDataSegment)) {
                throw new ChicoryException("Data segment should be active or passive: " + s);
            }
        }
    }
}
