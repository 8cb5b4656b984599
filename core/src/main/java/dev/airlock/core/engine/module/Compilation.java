package dev.airlock.core.engine.module;

import dev.airlock.core.ModuleRejectedException;

/**
 * Compiles what a run or an instance executes (the module as it is, or its metered copy): asked for
 * only once the policy has admitted the module from its sections, so that a refusal compiles
 * nothing.
 */
@FunctionalInterface
public interface Compilation {
    /**
     * @throws ModuleRejectedException if the module cannot be made runnable (such as {@code
     *     unmeterable})
     */
    CompiledModule get() throws ModuleRejectedException;
}
