package dev.airlock.core;

import dev.airlock.core.engine.module.CompiledModule;

/** A validated, compiled module, ready to be instantiated any number of times. Immutable. */
public final class GuestModule {
    private final CompiledModule compiled;

    GuestModule(CompiledModule compiled) {
        this.compiled = compiled;
    }

    /** Hex SHA-256 of the module bytes. */
    public String sha256() {
        return compiled.sha256();
    }

    /** Size of the module in bytes. */
    public long size() {
        return compiled.size();
    }

    /**
     * The module's layout as compiled (its globals, functions and tables, which splitting huge
     * functions changes): a snapshot restores only into a module of the same hash and layout, so
     * caches of snapshots key on both.
     */
    public String layout() {
        return compiled.layout();
    }

    /** Whether the module runs as JVM bytecode rather than in the interpreter. */
    public boolean isCompiled() {
        return compiled.compiled();
    }

    CompiledModule compiled() {
        return compiled;
    }
}
