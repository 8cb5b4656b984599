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
import dev.airlock.core.fuel.Metered;
import dev.airlock.core.fuel.Metering;
import dev.airlock.core.fuel.MeteringException;
import dev.airlock.core.split.Splitter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Parses, validates and compiles modules once, keyed by SHA-256: in memory (least recently used,
 * {@code memoryEntries} at most) and optionally on disk. Metered copies are kept the same way,
 * keyed by the module's SHA-256 and the {@linkplain CostTable#key() cost table}. Thread-safe.
 */
public final class ModuleLoader {
    private final Map<String, CompiledModule> memory;
    private final DiskCache disk;
    private final boolean compile;
    private final int splitThreshold;

    /**
     * A loader that splits huge functions at the {@linkplain #defaultSplitThreshold() default
     * threshold}.
     *
     * @param memoryEntries how many compiled modules to keep in memory
     * @param diskCache folder for compiled code, or {@code null} for none
     * @param compile false to run every module in the interpreter
     */
    public ModuleLoader(int memoryEntries, Path diskCache, boolean compile) {
        this(memoryEntries, diskCache, compile, defaultSplitThreshold());
    }

    /**
     * @param memoryEntries how many compiled modules to keep in memory
     * @param diskCache folder for compiled code, or {@code null} for none
     * @param compile false to run every module in the interpreter
     * @param splitThreshold functions whose body is longer than this many bytes are {@linkplain
     *     Splitter split} before compiling; 0 for none
     */
    public ModuleLoader(int memoryEntries, Path diskCache, boolean compile, int splitThreshold) {
        this.memory =
                Collections.synchronizedMap(
                        new LinkedHashMap<>(16, 0.75f, true) {
                            private static final long serialVersionUID = 1L;

                            @Override
                            protected boolean removeEldestEntry(
                                    Map.Entry<String, CompiledModule> e) {
                                return size() > memoryEntries;
                            }
                        });
        this.disk = diskCache == null ? null : new DiskCache(diskCache);
        this.compile = compile;
        this.splitThreshold = splitThreshold;
    }

    /**
     * The split threshold when none is given: the system property {@code airlock.split} (bytes; 0
     * or {@code off} for none), else {@link Splitter#DEFAULT_THRESHOLD}.
     */
    public static int defaultSplitThreshold() {
        return SplitSettings.threshold();
    }

    /** Hex SHA-256 of some bytes. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Returns the compiled module for these bytes, compiling on first sight.
     *
     * @throws ModuleRejectedException if the bytes are not a valid module
     */
    public CompiledModule load(byte[] bytes) throws ModuleRejectedException {
        String sha = sha256(bytes);
        return cached(
                sha,
                bytes.length,
                () -> {
                    byte[] copy = bytes.clone();
                    CompiledModule hit =
                            compile ? fromDisk(sha, sha, copy.length, () -> copy, null) : null;
                    if (hit != null) {
                        return hit;
                    }
                    WasmModule module = ModuleParser.parse(bytes, sha);
                    return compile
                            ? compile(module, copy, sha, sha, copy, null)
                            : interpreted(module, sha, copy, null, "interpreter requested");
                });
    }

    /**
     * Returns the compiled module whose SHA-256 is {@code sha}, reading {@code read} only when it
     * is in no cache (for a module shipped with its digest, such as a bundled interpreter, a
     * process that finds it compiled on disk never reads or hashes megabytes of module). Bytes that
     * are read are checked against {@code sha} first, so a wrong digest never puts a module in a
     * cache under another module's name.
     *
     * @param size the module's length in bytes
     * @throws ModuleRejectedException if the bytes are not a valid module, cannot be read, or do
     *     not match {@code sha} (reason {@code unreadable})
     */
    public CompiledModule load(String sha, long size, Supplier<byte[]> read)
            throws ModuleRejectedException {
        KnownSource source = new KnownSource(sha, read);
        return cached(
                sha,
                size,
                () -> {
                    CompiledModule hit = compile ? fromDisk(sha, sha, size, source, null) : null;
                    if (hit != null) {
                        return hit;
                    }
                    byte[] bytes;
                    try {
                        bytes = source.get();
                    } catch (KnownSource.MismatchException e) {
                        throw new ModuleRejectedException("unreadable", e.getMessage(), sha);
                    }
                    WasmModule module = ModuleParser.parse(bytes, sha);
                    return compile
                            ? compile(module, bytes, sha, sha, bytes, null)
                            : interpreted(module, sha, bytes, null, "interpreter requested");
                });
    }

    /**
     * The module cached under {@code key} in this loader, else in the JVM-wide {@link
     * SharedModules} when it is large (the same interpreter loaded by several Airlocks, as in a
     * server or a test run, is then compiled once), else made by {@code maker} and cached.
     */
    private CompiledModule cached(String key, long size, SharedModules.Maker maker)
            throws ModuleRejectedException {
        CompiledModule hit = memory.get(key);
        if (hit != null) {
            return hit;
        }
        if (compile && size >= JitTuning.MIN_MODULE_BYTES) {
            JitTuning.ensure();
        }
        CompiledModule cm =
                size >= SharedModules.MIN_BYTES
                        ? SharedModules.get(
                                key + "|compile=" + compile + "|split=" + splitSettings(), maker)
                        : maker.make();
        memory.put(key, cm);
        return cm;
    }

    /**
     * Loads a module compiled ahead of time (for example by Chicory's build-time compiler): the
     * bytes are parsed and validated as usual, and the machine is {@code machineClass}, a class
     * with a public constructor taking the instance.
     *
     * @throws ModuleRejectedException if the bytes are invalid or the class is unusable
     */
    public CompiledModule loadPrecompiled(byte[] bytes, String machineClass, ClassLoader loader)
            throws ModuleRejectedException {
        String sha = sha256(bytes);
        String key = sha + "@" + machineClass;
        CompiledModule hit = memory.get(key);
        if (hit != null) {
            return hit;
        }
        CompiledModule cm = Machines.precompiled(bytes, sha, machineClass, loader);
        memory.put(key, cm);
        return cm;
    }

    /**
     * Returns the metered copy of a loaded module for these prices, metering, validating and
     * compiling it on first sight.
     *
     * @throws ModuleRejectedException with reason {@code unmeterable} if the metering pass cannot
     *     meter the module (such as one that uses exception handling)
     */
    public CompiledModule metered(CompiledModule base, CostTable costs)
            throws ModuleRejectedException {
        if (base.metered()) {
            throw new IllegalArgumentException("already metered");
        }
        String sha = base.sha256();
        String key = sha + "+" + costs.key();
        return cached(
                key + (base.compiled() ? "" : "|interpreted"),
                base.bytes().length,
                () -> {
                    String diskKey = sha256((key).getBytes(StandardCharsets.UTF_8));
                    CompiledModule hit =
                            compile && base.compiled()
                                    ? fromDisk(diskKey, sha, base.size(), base.source(), costs)
                                    : null;
                    if (hit != null) {
                        return hit;
                    }
                    byte[] original;
                    try {
                        original = base.bytes();
                    } catch (KnownSource.MismatchException e) {
                        throw new ModuleRejectedException("unreadable", e.getMessage(), sha);
                    }
                    Metered m;
                    try {
                        m = Metering.instrument(original, costs);
                    } catch (MeteringException e) {
                        throw new ModuleRejectedException(
                                "unmeterable", "cannot meter fuel: " + e.getMessage(), sha, e);
                    }
                    WasmModule module;
                    try {
                        module = ModuleParser.parse(m.bytes(), sha);
                    } catch (ModuleRejectedException e) {
                        throw new ModuleRejectedException(
                                "unmeterable",
                                "cannot meter fuel: the metered module is invalid: "
                                        + e.getMessage(),
                                sha,
                                e);
                    }
                    CompiledModule.Fuel fuel =
                            new CompiledModule.Fuel(m.fuelGlobal(), m.definedIndex(), costs);
                    return compile && base.compiled()
                            ? compile(module, m.bytes(), sha, diskKey, original, fuel)
                            : interpreted(module, sha, original, fuel, base.compileNote());
                });
    }

    /**
     * Compiles {@code module}, parsed from {@code code}, after splitting its huge functions; a
     * module that does not validate once split (which would be a bug of the splitter) is compiled
     * as it is.
     */
    private CompiledModule compile(
            WasmModule module,
            byte[] code,
            String sha,
            String diskKey,
            byte[] bytes,
            CompiledModule.Fuel fuel) {
        long size = bytes.length;
        String note = null;
        int firstPiece = 0;
        if (splitThreshold > 0) {
            byte[] split =
                    Splitter.split(
                            code,
                            splitThreshold,
                            SplitSettings.region(),
                            SplitSettings.regroup(),
                            SplitSettings.expressions(),
                            SplitSettings.access());
            if (split != code) {
                try {
                    int first =
                            module.importSection().count(ExternalType.FUNCTION)
                                    + Splitter.definedFunctions(code);
                    module = ModuleParser.parse(split, sha);
                    code = split;
                    firstPiece = first; // the splitter only appends functions
                } catch (ModuleRejectedException e) {
                    note = "not split: " + e.getMessage();
                }
            }
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
                    module,
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
                : sha256((diskKey + "/split" + splitSettings()).getBytes(StandardCharsets.UTF_8));
    }

    /** This loader's splitting, as the cache keys name it: threshold, piece size, regrouping. */
    private String splitSettings() {
        return SplitSettings.describe(splitThreshold);
    }

    /**
     * The module compiled earlier under {@code diskKey} (before {@linkplain #finalKey splitting}),
     * or {@code null}: its classes and the module as compiled, parsed without validating it again
     * (it was validated before it was compiled, and the cache is private to the user).
     */
    private CompiledModule fromDisk(
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

    private static CompiledModule interpreted(
            WasmModule module, String sha, byte[] bytes, CompiledModule.Fuel fuel, String note) {
        Function<Instance, Machine> f = InterpreterMachine::new;
        return new CompiledModule(
                sha, bytes.length, module, f, Set.of(), false, note, () -> bytes, fuel, false);
    }
}
