package dev.airlock.cli;

import dev.airlock.cli.options.CacheOptions;
import dev.airlock.cli.options.EngineOptions;
import dev.airlock.core.Airlock;
import dev.airlock.lang.CodeInterpreter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where {@code run}, {@code py} and {@code js} take their engine and interpreters from. {@link
 * #perRun()}: built for the run and closed after it, as a process that runs one command line does.
 * {@link #shared()}: one engine per cache folder (and {@code --interpret}) and one interpreter per
 * cache folder, kept for every later command line of the process, so that the compiled modules and
 * the interpreters' started images stay in memory (the resident process). Thread-safe.
 */
public final class Engines {
    /** The most engines, and the most interpreters, {@link #shared()} keeps. */
    static final int MAX_SHARED = 8;

    private final boolean shared;
    private final Map<String, Airlock> airlocks = new ConcurrentHashMap<>();
    private final Map<String, CodeInterpreter> interpreters = new ConcurrentHashMap<>();

    private Engines(boolean shared) {
        this.shared = shared;
    }

    /** Engines and interpreters built for each run and closed after it. */
    public static Engines perRun() {
        return new Engines(false);
    }

    /** Engines and interpreters kept for every later run, per cache folder. */
    public static Engines shared() {
        return new Engines(true);
    }

    /** The engine {@code run} uses with these options. */
    Airlock engine(EngineOptions options) {
        String key =
                (options.interpret ? "interpret " : "compile ") + key(options.cache.dir("modules"));
        if (!keeps(airlocks, key)) {
            return options.build();
        }
        return airlocks.computeIfAbsent(key, k -> options.build());
    }

    /** The interpreter {@code py} and {@code js} use with these options; see {@link #done}. */
    CodeInterpreter interpreter(CacheOptions cache) {
        String key = key(cache.dir("modules")) + " " + key(cache.dir("images"));
        if (!keeps(interpreters, key)) {
            return cache.newInterpreter();
        }
        return interpreters.computeIfAbsent(key, k -> cache.newInterpreter());
    }

    /** Ends a run's use of an interpreter from {@link #interpreter}: closed unless kept. */
    void done(CodeInterpreter interpreter) {
        if (!interpreters.containsValue(interpreter)) {
            interpreter.close();
        }
    }

    private boolean keeps(Map<String, ?> kept, String key) {
        // (past the limit, two command lines at once may both add one: a bound, not a count)
        return shared && (kept.containsKey(key) || kept.size() < MAX_SHARED);
    }

    private static String key(Path dir) {
        return dir == null ? "-" : dir.toAbsolutePath().normalize().toString();
    }
}
