package dev.airlock.cli;

import dev.airlock.core.Airlock;
import java.nio.file.Path;
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
        Airlock.Builder b = Airlock.builder().compile(!interpret).memoryCacheEntries(4);
        Path modules = cache.dir("modules");
        if (modules != null && !interpret) {
            b.diskCache(modules);
        }
        return b.build();
    }
}
