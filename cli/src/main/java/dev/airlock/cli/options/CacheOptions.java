package dev.airlock.cli.options;

import dev.airlock.audit.store.SqliteNative;
import dev.airlock.cli.Invocation;
import dev.airlock.core.Airlock;
import dev.airlock.lang.CodeInterpreter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where Airlock keeps what it can reuse between processes: compiled modules ({@code modules/}),
 * started interpreters' images ({@code images/}) and SQLite's native library ({@code native/}).
 */
public final class CacheOptions {
    /** The {@code --cache-dir} folder as given, or null. */
    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description =
                    "Where compiled modules and interpreter images are kept between runs. Default:"
                            + " $AIRLOCK_CACHE_DIR if set, else $XDG_CACHE_HOME/airlock if set,"
                            + " else ~/.cache/airlock.")
    public Path cacheDir;

    /** Whether {@code --no-cache} was given. */
    @Option(names = "--no-cache", description = "Do not read or write the cache.")
    public boolean noCache;

    /**
     * The folder for one kind of entry ({@code modules}, {@code images}), or null without cache.
     */
    public Path dir(String kind) {
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
    public Airlock.Builder engine() {
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
    public CodeInterpreter.Builder interpreter(Airlock airlock) {
        CodeInterpreter.Builder b = CodeInterpreter.builder().airlock(airlock);
        Path images = dir("images");
        if (images != null) {
            b.imageCache(images);
        }
        return b;
    }

    /**
     * A new interpreter on an engine of its own whose compiled modules are kept in the cache (the
     * JavaScript runtime is a plain module that the engine compiles: seconds, once per cache).
     */
    public CodeInterpreter newInterpreter() {
        return interpreter(engine().memoryCacheEntries(2).build()).build();
    }

    /** Lets the store load SQLite's native library from the cache (see {@link SqliteNative}). */
    public void useForNativeLibraries() {
        SqliteNative.useCache(dir("native"));
    }

    /** The cache folder: {@code --cache-dir}, else the default of the option's description. */
    public Path root() {
        return cacheDir != null ? cacheDir : defaultRoot();
    }

    private static Path defaultRoot() {
        Invocation where = Invocation.current();
        String explicit = where.env("AIRLOCK_CACHE_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return where.path(explicit);
        }
        String xdg = where.env("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return where.path(xdg).resolve("airlock");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "airlock");
    }
}
