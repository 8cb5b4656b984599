package dev.airlock.cli;

import dev.airlock.audit.store.SqliteNative;
import dev.airlock.core.Airlock;
import dev.airlock.lang.CodeInterpreter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where Airlock keeps what it can reuse between processes: compiled modules ({@code modules/}),
 * started interpreters' images ({@code images/}) and SQLite's native library ({@code native/}).
 */
final class CacheOptions {
    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description =
                    "Where compiled modules and interpreter images are kept between runs. Default:"
                            + " $AIRLOCK_CACHE_DIR if set, else $XDG_CACHE_HOME/airlock if set,"
                            + " else ~/.cache/airlock.")
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
        return root().resolve(kind);
    }

    /**
     * An engine builder whose compiled modules are kept in the cache's {@code modules/} (none with
     * {@code --no-cache}): an interpreter's module is then compiled once per cache, not per
     * process.
     */
    Airlock.Builder engine() {
        Airlock.Builder b = Airlock.builder();
        Path modules = dir("modules");
        if (modules != null) {
            b.diskCache(modules);
        }
        return b;
    }

    /**
     * A code interpreter builder on {@code airlock} whose started interpreters' images are kept in
     * the cache's {@code images/} (none with {@code --no-cache}).
     */
    CodeInterpreter.Builder interpreter(Airlock airlock) {
        CodeInterpreter.Builder b = CodeInterpreter.builder().airlock(airlock);
        Path images = dir("images");
        if (images != null) {
            b.imageCache(images);
        }
        return b;
    }

    /** Lets the store load SQLite's native library from the cache (see {@link SqliteNative}). */
    void useForNativeLibraries() {
        SqliteNative.useCache(dir("native"));
    }

    /** The cache folder: {@code --cache-dir}, else the default of the option's description. */
    Path root() {
        return cacheDir != null ? cacheDir : defaultRoot();
    }

    private static Path defaultRoot() {
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
