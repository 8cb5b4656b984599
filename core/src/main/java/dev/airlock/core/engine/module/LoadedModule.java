package dev.airlock.core.engine.module;

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
    private Supplier<CompiledModule> pending;
    private volatile CompiledModule compiled;

    private LoadedModule(
            String sha256, long size, Supplier<byte[]> source, Supplier<CompiledModule> pending) {
        this.sha256 = sha256;
        this.size = size;
        this.source = source;
        this.pending = pending;
    }

    /** A module compiled already. */
    public static LoadedModule of(CompiledModule compiled) {
        LoadedModule m =
                new LoadedModule(compiled.sha256(), compiled.size(), compiled.source(), null);
        m.compiled = compiled;
        return m;
    }

    /**
     * A validated module that {@code compile} compiles on first use ({@code compile} does not
     * throw: a module the compiler fails on comes back to run in the interpreter).
     */
    static LoadedModule deferred(
            String sha256, long size, Supplier<byte[]> source, Supplier<CompiledModule> compile) {
        return new LoadedModule(
                sha256,
                size,
                Objects.requireNonNull(source, "source"),
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
            }
            return compiled;
        }
    }

    /** The module compiled, or {@code null} if it has not been compiled yet. */
    CompiledModule compiledIfDone() {
        return compiled;
    }
}
