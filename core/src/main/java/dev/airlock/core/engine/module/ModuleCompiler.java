package dev.airlock.core.engine.module;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.internal.ClassLoadingCollector;
import com.dylibso.chicory.compiler.internal.Compiler;
import com.dylibso.chicory.compiler.internal.CompilerResult;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.fuel.CostTable;
import dev.airlock.core.split.Splitter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Compiles a parsed module for a {@link ModuleLoader}: splits its huge functions, compiles it to
 * JVM classes (rewritten by {@link RewritingCollector}), and keeps the result in the disk cache if
 * there is one; or takes it from there. Thread-safe.
 */
final class ModuleCompiler {
    private final DiskCache disk;
    private final int splitThreshold;

    /**
     * @param disk the disk cache, or {@code null} for none
     * @param splitThreshold functions whose body is longer than this many bytes are split before
     *     compiling; 0 for none
     */
    ModuleCompiler(DiskCache disk, int splitThreshold) {
        this.disk = disk;
        this.splitThreshold = splitThreshold;
    }

    /** Parses and validates the module as it is, when it has to be compiled so. */
    interface Unsplit {
        WasmModule parse() throws ModuleRejectedException;
    }

    /**
     * Compiles {@code code} after splitting its huge functions. The split module is parsed and
     * validated, which validates what is compiled; {@code unsplit} parses {@code code} only when
     * nothing was split or the split module does not validate (which would be a bug of the
     * splitter), and that is compiled then.
     *
     * @throws ModuleRejectedException if {@code unsplit} rejects {@code code}
     */
    CompiledModule compile(
            Unsplit unsplit,
            byte[] code,
            String sha,
            String diskKey,
            byte[] bytes,
            CompiledModule.Fuel fuel)
            throws ModuleRejectedException {
        long size = bytes.length;
        String note = null;
        int firstPiece = 0;
        WasmModule module = null;
        if (splitThreshold > 0) {
            byte[] split =
                    Splitter.split(
                            code,
                            splitThreshold,
                            SplitSettings.region(),
                            SplitSettings.regroup(code, splitThreshold),
                            SplitSettings.expressions(),
                            SplitSettings.access());
            if (split != code) {
                try {
                    module = ModuleParser.parse(split, sha);
                    // the splitter only appends functions: the same imports, then code's own
                    firstPiece =
                            module.importSection().count(ExternalType.FUNCTION)
                                    + Splitter.definedFunctions(code);
                    code = split;
                } catch (ModuleRejectedException e) {
                    note = "not split: " + e.getMessage();
                }
            }
        }
        if (module == null) {
            module = unsplit.parse();
        }
        diskKey = finalKey(diskKey);
        int pieces = firstPiece;
        try {
            CompilerResult r =
                    Compiler.builder(module)
                            .withClassName(className(diskKey))
                            .withInterpreterFallback(InterpreterFallback.SILENT)
                            .withClassCollectorFactory(() -> new RewritingCollector(pieces))
                            .build()
                            .compile();
            ClassLoadingCollector c = (ClassLoadingCollector) r.collector();
            Map<String, Integer> big = BigMethods.find(c.classBytes(), JitTuning.RECORD_FLOOR);
            if (disk != null) {
                disk.put(diskKey, c, r.interpretedFunctions(), code, fuel, big);
            }
            JitTuning.excludeFromC1(big);
            return new CompiledModule(
                    sha,
                    size,
                    r.interpretedFunctions().isEmpty() ? withoutCode(code, module) : module,
                    c.machineFactory(),
                    r.interpretedFunctions(),
                    true,
                    note,
                    () -> bytes,
                    fuel,
                    c instanceof RewritingCollector
                            && !RewritingCollector.OFF
                            && r.interpretedFunctions().isEmpty());
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            return interpreted(
                    module, sha, bytes, fuel, "compiler failed: " + ModuleParser.describe(e));
        }
    }

    /**
     * {@code module}, parsed from {@code code}, as a module whose functions are all compiled needs
     * it: without function bodies and custom sections, as the disk cache gives it ({@link
     * CachedModules}). Compiled code never reads them, and the parsed bodies weigh about 35 times
     * the module's bytes, for as long as a cache keeps the module. {@code module} itself if that
     * cannot be parsed.
     */
    private static WasmModule withoutCode(byte[] code, WasmModule module) {
        try {
            return CachedModules.parse(CachedModules.strip(code), true);
        } catch (RuntimeException e) {
            return module;
        }
    }

    /**
     * The compiled classes' name, one per module and settings (from its disk key), so that a JIT
     * directive naming one module's functions never matches another's.
     */
    static String className(String diskKey) {
        return "com.dylibso.chicory.$gen.M" + diskKey.substring(0, 16) + "Machine";
    }

    /** The disk key of a module compiled with this loader's splitting. */
    private String finalKey(String diskKey) {
        return splitThreshold <= 0
                ? diskKey
                : ModuleLoader.sha256(
                        (diskKey + "/split" + splitSettings()).getBytes(StandardCharsets.UTF_8));
    }

    /** This loader's splitting, as the cache keys name it: threshold, piece size, regrouping. */
    String splitSettings() {
        return SplitSettings.describe(splitThreshold);
    }

    /**
     * The module compiled earlier under {@code diskKey} (before {@linkplain #finalKey splitting}),
     * or {@code null}: its classes and the module as compiled, parsed without validating it again
     * (it was validated before it was compiled, and the cache is private to the user).
     */
    CompiledModule fromDisk(
            String diskKey, String sha, long size, Supplier<byte[]> source, CostTable costs) {
        if (disk == null) {
            return null;
        }
        DiskCache.Entry e = disk.get(finalKey(diskKey));
        if (e == null || (costs != null) != (e.fuelGlobal() >= 0)) {
            return null;
        }
        try {
            WasmModule module = CachedModules.parse(e.module(), e.interpreted().isEmpty());
            Function<Instance, Machine> factory = e.machineFactory();
            JitTuning.excludeFromC1(e.bigMethods());
            return new CompiledModule(
                    sha,
                    size,
                    module,
                    factory,
                    e.interpreted(),
                    true,
                    "from disk cache",
                    source,
                    costs == null
                            ? null
                            : new CompiledModule.Fuel(e.fuelGlobal(), e.fuelDefined(), costs),
                    !RewritingCollector.OFF && e.interpreted().isEmpty());
        } catch (RuntimeException | LinkageError ignored) {
            return null; // a bad entry is compiled again
        }
    }

    static CompiledModule interpreted(
            WasmModule module, String sha, byte[] bytes, CompiledModule.Fuel fuel, String note) {
        Function<Instance, Machine> f = InterpreterMachine::new;
        return new CompiledModule(
                sha, bytes.length, module, f, Set.of(), false, note, () -> bytes, fuel, false);
    }
}
