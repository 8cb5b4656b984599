package dev.airlock.core.engine.module;

import com.dylibso.chicory.wasm.WasmModule;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Policy;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A module that has been read and validated, compiled when first needed: a caller that only ever
 * runs its metered copy (a run with a fuel budget) never pays for compiling the module as it is.
 * Found in a cache, it is compiled already. Thread-safe: concurrent first uses compile it once.
 */
public final class LoadedModule {
    private final String sha256;
    private final long size;
    private final Supplier<byte[]> source;
    private volatile Parsed parsed;
    private Supplier<CompiledModule> pending;
    private volatile CompiledModule compiled;

    /** The module as parsed and validated, parsed again if it is no longer held. */
    interface Parsed {
        WasmModule get() throws ModuleRejectedException;
    }

    private LoadedModule(
            String sha256,
            long size,
            Supplier<byte[]> source,
            Parsed parsed,
            Supplier<CompiledModule> pending) {
        this.sha256 = sha256;
        this.size = size;
        this.source = source;
        this.parsed = parsed;
        this.pending = pending;
    }

    /** A module compiled already. */
    public static LoadedModule of(CompiledModule compiled) {
        LoadedModule m =
                new LoadedModule(compiled.sha256(), compiled.size(), compiled.source(), null, null);
        m.compiled = compiled;
        return m;
    }

    /**
     * A validated module that {@code compile} compiles on first use ({@code compile} does not
     * throw: a module the compiler fails on comes back to run in the interpreter); {@code parsed}
     * gives its sections until then.
     */
    static LoadedModule deferred(
            String sha256,
            long size,
            Supplier<byte[]> source,
            Parsed parsed,
            Supplier<CompiledModule> compile) {
        return new LoadedModule(
                sha256,
                size,
                Objects.requireNonNull(source, "source"),
                Objects.requireNonNull(parsed, "parsed"),
                Objects.requireNonNull(compile, "compile"));
    }

    /** Hex SHA-256 of the module bytes. */
    public String sha256() {
        return sha256;
    }

    /** Size of the module in bytes. */
    public long size() {
        return size;
    }

    /** Reads the module's bytes (see {@link CompiledModule#source()}). */
    Supplier<byte[]> source() {
        return source;
    }

    /** The module's bytes; not to be modified. */
    public byte[] bytes() {
        return source.get();
    }

    /** The module compiled, compiling it now if nothing has yet. */
    public CompiledModule compiled() {
        CompiledModule c = compiled;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (compiled == null) {
                compiled = pending.get();
                pending = null; // the parsed module it holds is the compiled module's now
                parsed = null;
            }
            return compiled;
        }
    }

    /**
     * Why a run under {@code policy} would be refused before it starts ({@link
     * Inspector#problems}): read from the module's sections, compiling nothing. Empty when it would
     * start.
     *
     * @throws ModuleRejectedException if the module had to be parsed again and no longer can be
     */
    public List<String> problems(Policy policy) throws ModuleRejectedException {
        return Inspector.problems(sections(), policy);
    }

    /**
     * The module as parsed, for what its sections say (imports, exports, types, memories, tables):
     * the compiled module's once compiled (which may hold no function bodies), else the parse that
     * validated it, parsed again if it is no longer held. Compiles nothing.
     *
     * @throws ModuleRejectedException if the module had to be parsed again and no longer can be
     */
    public WasmModule sections() throws ModuleRejectedException {
        Parsed p = parsed; // null only once compiled (it is dropped after compiled is set)
        return p != null ? p.get() : compiled().module();
    }

    /** The module compiled, or {@code null} if it has not been compiled yet. */
    CompiledModule compiledIfDone() {
        return compiled;
    }
}
