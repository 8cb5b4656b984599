package dev.airlock.cli;

import dev.airlock.core.Airlock;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options that configure the engine rather than the guest's grants. */
final class EngineOptions {
    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description =
                    "Where compiled modules are kept between runs. Default: $AIRLOCK_CACHE_DIR, else"
                            + " $XDG_CACHE_HOME/airlock, else ~/.cache/airlock.")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Do not read or write the compiled-module cache.")
    boolean noCache;

    @Option(
            names = "--interpret",
            description = "Run in Chicory's interpreter instead of compiling.")
    boolean interpret;

    Airlock build() {
        Airlock.Builder b = Airlock.builder().compile(!interpret).memoryCacheEntries(4);
        if (!noCache && !interpret) {
            b.diskCache(cacheDir != null ? cacheDir : defaultCacheDir());
        }
        return b.build();
    }

    static Path defaultCacheDir() {
        String explicit = System.getenv("AIRLOCK_CACHE_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "airlock", "modules");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "airlock", "modules");
    }
}
