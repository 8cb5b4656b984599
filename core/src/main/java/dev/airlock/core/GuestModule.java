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

    /** Whether the module runs as JVM bytecode rather than in the interpreter. */
    public boolean isCompiled() {
        return compiled.compiled();
    }

    CompiledModule compiled() {
        return compiled;
    }
}
