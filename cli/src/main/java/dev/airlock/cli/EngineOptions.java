package dev.airlock.cli;

import dev.airlock.core.Airlock;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options that configure the engine rather than the guest's grants. */
final class EngineOptions {
    @Mixin CacheOptions cache = new CacheOptions();

    @Option(
            names = "--interpret",
            description = "Run in Chicory's interpreter instead of compiling.")
    boolean interpret;

    Airlock build() {
        Airlock.Builder b = interpret ? Airlock.builder() : cache.engine();
        return b.compile(!interpret).memoryCacheEntries(4).build();
    }
}
