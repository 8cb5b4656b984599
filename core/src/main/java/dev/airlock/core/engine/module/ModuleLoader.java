package dev.airlock.core.engine.module;

import com.dylibso.chicory.wasm.WasmModule;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.fuel.CostTable;
import dev.airlock.core.fuel.Metered;
import dev.airlock.core.fuel.Metering;
import dev.airlock.core.fuel.MeteringException;
import dev.airlock.core.split.Splitter;
import java.lang.ref.SoftReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Parses, validates and compiles modules once, keyed by SHA-256: in memory (least recently used,
 * {@code memoryEntries} at most) and optionally on disk. Metered copies are kept the same way,
 * keyed by the module's SHA-256 and the {@linkplain CostTable#key() cost table}. A module loaded
 * with {@link #loadDeferred(byte[])} is compiled as it is only when first used so, not when only
 * its metered copy runs. Thread-safe.
 */
public final class ModuleLoader {
    private final Map<String, LoadedModule> memory;
    private final ModuleCompiler compiler;
    private final boolean compile;

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
                            protected boolean removeEldestEntry(Map.Entry<String, LoadedModule> e) {
                                return size() > memoryEntries;
                            }
                        });
        this.compiler =
                new ModuleCompiler(
                        diskCache == null ? null : new DiskCache(diskCache), splitThreshold);
        this.compile = compile;
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
        return loadDeferred(bytes).compiled();
    }

    /**
     * Returns the module for these bytes, validated, from a cache or to be compiled on first use.
     *
     * @throws ModuleRejectedException if the bytes are not a valid module
     */
    public LoadedModule loadDeferred(byte[] bytes) throws ModuleRejectedException {
        String sha = sha256(bytes);
        return cached(
                sha,
                bytes.length,
                () -> {
                    byte[] copy = bytes.clone();
                    CompiledModule hit =
                            compile
                                    ? compiler.fromDisk(sha, sha, copy.length, () -> copy, null)
                                    : null;
                    if (hit != null) {
                        return LoadedModule.of(hit);
                    }
                    return parsed(ModuleParser.parse(copy, sha), sha, copy);
                });
    }

    /**
     * A module just parsed and validated, compiled on first use unless this loader interprets.
     * Until then the parsed module (tens of times the module's bytes) is held softly: a module
     * cached but only ever run metered does not keep it once memory runs short, and is parsed again
     * if it is compiled after all.
     */
    private LoadedModule parsed(WasmModule module, String sha, byte[] bytes) {
        if (!compile) {
            return LoadedModule.of(
                    ModuleCompiler.interpreted(module, sha, bytes, null, "interpreter requested"));
        }
        SoftlyParsed parsed = new SoftlyParsed(module, bytes, sha);
        return LoadedModule.deferred(
                sha,
                bytes.length,
                () -> bytes,
                parsed::get,
                () -> {
                    try {
                        // parsed again only if dropped and the split copy does not serve
                        return compiler.compile(parsed::get, bytes, sha, sha, bytes, null);
                    } catch (ModuleRejectedException e) {
                        // validated when loaded: the same bytes parse the same way again
                        throw new IllegalStateException("a loaded module no longer parses", e);
                    }
                });
    }

    /** A parsed module held softly, parsed again from its bytes once the collector dropped it. */
    static final class SoftlyParsed {
        private final SoftReference<WasmModule> module;
        private final byte[] bytes;
        private final String sha;

        SoftlyParsed(WasmModule module, byte[] bytes, String sha) {
            this.module = new SoftReference<>(module);
            this.bytes = bytes;
            this.sha = sha;
        }

        WasmModule get() throws ModuleRejectedException {
            WasmModule m = module.get();
            return m != null ? m : ModuleParser.parse(bytes, sha);
        }

        /** Drops the parsed module, as the collector may (tests). */
        void drop() {
            module.clear();
        }
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
        return loadDeferred(sha, size, read).compiled();
    }

    /**
     * As {@link #load(String, long, Supplier)}, compiling the module on first use (see {@link
     * #loadDeferred(byte[])}).
     *
     * @throws ModuleRejectedException as {@link #load(String, long, Supplier)} does
     */
    public LoadedModule loadDeferred(String sha, long size, Supplier<byte[]> read)
            throws ModuleRejectedException {
        KnownSource source = new KnownSource(sha, read);
        return cached(
                sha,
                size,
                () -> {
                    CompiledModule hit =
                            compile ? compiler.fromDisk(sha, sha, size, source, null) : null;
                    if (hit != null) {
                        return LoadedModule.of(hit);
                    }
                    byte[] bytes;
                    try {
                        bytes = source.get();
                    } catch (KnownSource.MismatchException e) {
                        throw new ModuleRejectedException("unreadable", e.getMessage(), sha);
                    }
                    return parsed(ModuleParser.parse(bytes, sha), sha, bytes);
                });
    }

    /**
     * The module cached under {@code key} in this loader, else in the JVM-wide {@link
     * SharedModules} when it is large (the same interpreter loaded by several Airlocks, as in a
     * server or a test run, is then compiled once, there and then), else made by {@code maker} and
     * cached.
     */
    private LoadedModule cached(String key, long size, Maker maker) throws ModuleRejectedException {
        LoadedModule hit = memory.get(key);
        if (hit != null) {
            return hit;
        }
        if (compile && size >= JitTuning.MIN_MODULE_BYTES) {
            JitTuning.ensure();
        }
        LoadedModule m =
                size >= SharedModules.MIN_BYTES
                        ? LoadedModule.of(
                                SharedModules.get(
                                        key
                                                + "|compile="
                                                + compile
                                                + "|split="
                                                + compiler.splitSettings(),
                                        () -> maker.make().compiled()))
                        : maker.make();
        memory.put(key, m);
        return m;
    }

    /** Makes a loaded module. */
    private interface Maker {
        LoadedModule make() throws ModuleRejectedException;
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
        LoadedModule hit = memory.get(key);
        if (hit != null) {
            return hit.compiled();
        }
        CompiledModule cm = Machines.precompiled(bytes, sha, machineClass, loader);
        memory.put(key, LoadedModule.of(cm));
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
        return metered(LoadedModule.of(base), costs);
    }

    /**
     * As {@link #metered(CompiledModule, CostTable)}, without compiling {@code base} as it is: its
     * metered copy is compiled unless {@code base} was compiled already and runs in the
     * interpreter.
     *
     * @throws ModuleRejectedException as {@link #metered(CompiledModule, CostTable)} does
     */
    public CompiledModule metered(LoadedModule base, CostTable costs)
            throws ModuleRejectedException {
        CompiledModule done = base.compiledIfDone();
        if (done != null && done.metered()) {
            throw new IllegalArgumentException("already metered");
        }
        // a module not compiled yet is on its way to the compiler (a loader that interprets
        // builds its modules at once)
        boolean compiled = done == null || done.compiled();
        String note = done == null ? null : done.compileNote();
        String sha = base.sha256();
        String key = sha + "+" + costs.key();
        return cached(
                        key + (compiled ? "" : "|interpreted"),
                        base.size(),
                        () -> LoadedModule.of(meter(base, sha, key, costs, compiled, note)))
                .compiled();
    }

    /**
     * Meters {@code base} for {@code costs}, validates the metered copy and compiles it (or takes
     * it from disk), or builds it for the interpreter when {@code compiled} is false.
     */
    private CompiledModule meter(
            LoadedModule base,
            String sha,
            String key,
            CostTable costs,
            boolean compiled,
            String note)
            throws ModuleRejectedException {
        String diskKey = sha256((key).getBytes(StandardCharsets.UTF_8));
        CompiledModule hit =
                compile && compiled
                        ? compiler.fromDisk(diskKey, sha, base.size(), base.source(), costs)
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
        ModuleCompiler.Unsplit parse = () -> parseMetered(m.bytes(), sha);
        CompiledModule.Fuel fuel = new CompiledModule.Fuel(m.fuelGlobal(), m.definedIndex(), costs);
        // compiled: validated once split (the metered module itself only if nothing was split)
        return compile && compiled
                ? compiler.compile(parse, m.bytes(), sha, diskKey, original, fuel)
                : ModuleCompiler.interpreted(parse.parse(), sha, original, fuel, note);
    }

    private static WasmModule parseMetered(byte[] metered, String sha)
            throws ModuleRejectedException {
        try {
            return ModuleParser.parse(metered, sha);
        } catch (ModuleRejectedException e) {
            throw new ModuleRejectedException(
                    "unmeterable",
                    "cannot meter fuel: the metered module is invalid: " + e.getMessage(),
                    sha,
                    e);
        }
    }
}
