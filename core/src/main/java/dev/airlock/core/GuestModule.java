package dev.airlock.core;

import dev.airlock.core.engine.module.CompiledModule;
import dev.airlock.core.engine.module.LoadedModule;

/**
 * A validated module, ready to be instantiated any number of times. It is compiled on first use
 * (and only its metered copy when every run has a fuel budget); compiled code is cached with it.
 * Immutable and thread-safe.
 */
public final class GuestModule {
    private final LoadedModule loaded;

    GuestModule(LoadedModule loaded) {
        this.loaded = loaded;
    }

    GuestModule(CompiledModule compiled) {
        this(LoadedModule.of(compiled));
    }

    /** Hex SHA-256 of the module bytes. */
    public String sha256() {
        return loaded.sha256();
    }

    /** Size of the module in bytes. */
    public long size() {
        return loaded.size();
    }

    /**
     * The module's layout as compiled (its globals, functions and tables, which splitting huge
     * functions changes): a snapshot restores only into a module of the same hash and layout, so
     * caches of snapshots key on both. Compiles the module if it is not yet.
     */
    public String layout() {
        return loaded.compiled().layout();
    }

    /**
     * Whether the module runs as JVM bytecode rather than in the interpreter. Compiles the module
     * if it is not yet.
     */
    public boolean isCompiled() {
        return loaded.compiled().compiled();
    }

    /** The module compiled as it is (compiled now if it is not yet). */
    CompiledModule compiled() {
        return loaded.compiled();
    }

    /** The module as loaded, compiled or not yet. */
    LoadedModule loaded() {
        return loaded;
    }
}
