package dev.airlock.core.engine;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import java.util.Set;
import java.util.function.Function;

/**
 * A parsed, validated module with its machine factory: compiled JVM bytecode (with interpreter
 * fallback for the functions listed in {@code interpretedFunctions}), or the interpreter alone.
 * Immutable and shared by every instance of the module.
 */
public record CompiledModule(
        String sha256,
        long size,
        WasmModule module,
        Function<Instance, Machine> machineFactory,
        Set<Integer> interpretedFunctions,
        boolean compiled,
        String compileNote) {}
