package dev.airlock.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where Airlock keeps what it can reuse between processes: compiled modules ({@code modules/}) and
 * started interpreters' images ({@code images/}).
 */
final class CacheOptions {
    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description =
                    "Where compiled modules and interpreter images are kept between runs. Default:"
                            + " $AIRLOCK_CACHE_DIR, else $XDG_CACHE_HOME/airlock, else"
                            + " ~/.cache/airlock.")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Do not read or write the cache.")
    boolean noCache;

    /**
     * The folder for one kind of entry ({@code modules}, {@code images}), or null without cache.
     */
    Path dir(String kind) {
        if (noCache) {
            return null;
        }
        return (cacheDir != null ? cacheDir : root()).resolve(kind);
    }

    private static Path root() {
        String explicit = System.getenv("AIRLOCK_CACHE_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "airlock");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "airlock");
    }
}
