package dev.airlock.core.engine.module;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import dev.airlock.core.fuel.CostTable;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A parsed, validated module with its machine factory: compiled JVM bytecode (with interpreter
 * fallback for the functions listed in {@code interpretedFunctions}), or the interpreter alone.
 * Immutable and shared by every instance of the module.
 *
 * @param sha256 hex SHA-256 of the module as loaded (for a metered module, of the original)
 * @param source the module's bytes as loaded (for a metered module, the original's), read when
 *     first needed (a module found in a cache under a known SHA-256 may never read them); not to be
 *     modified
 * @param fuel for a metered module, where its fuel counter is; {@code null} otherwise
 * @param stackChecked whether all of its code is compiled here with every write of its stack
 *     pointer checked ({@link StackPointerWrites}), so that a memory may drop its guard pages
 */
public record CompiledModule(
        String sha256,
        long size,
        WasmModule module,
        Function<Instance, Machine> machineFactory,
        Set<Integer> interpretedFunctions,
        boolean compiled,
        String compileNote,
        Supplier<byte[]> source,
        Fuel fuel,
        boolean stackChecked) {

    /**
     * What a snapshot of an instance of this module depends on beyond the module's hash: its
     * globals, tables and functions as compiled (splitting adds functions and globals, so the same
     * module split differently cannot restore another's snapshot).
     */
    public String layout() {
        int globals =
                module.globalSection().globalCount()
                        + module.importSection().count(ExternalType.GLOBAL);
        int functions =
                module.functionSection().functionCount()
                        + module.importSection().count(ExternalType.FUNCTION);
        return "globals="
                + globals
                + " functions="
                + functions
                + " tables="
                + module.tableSection().tableCount();
    }

    /** The module's bytes (see {@code source}). */
    public byte[] bytes() {
        return source.get();
    }

    /**
     * Where a metered module keeps its fuel.
     *
     * @param global index of the fuel global
     * @param definedIndex its position among the module's own globals
     * @param costs the prices the module was metered with
     */
    public record Fuel(int global, int definedIndex, CostTable costs) {}

    /** Whether this is a metered copy of a module. */
    public boolean metered() {
        return fuel != null;
    }
}
