package dev.airlock.cli.options;

import dev.airlock.core.Airlock;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options that configure the engine rather than the guest's grants. */
public final class EngineOptions {
    /** The cache the engine keeps its compiled modules in. */
    @Mixin public CacheOptions cache = new CacheOptions();

    /** Whether {@code --interpret} was given. */
    @Option(
            names = "--interpret",
            description = "Run in Chicory's interpreter instead of compiling.")
    public boolean interpret;

    /** A new engine with these options. */
    public Airlock build() {
        Airlock.Builder b = interpret ? Airlock.builder() : cache.engine();
        return b.compile(!interpret).memoryCacheEntries(4).build();
    }
}
