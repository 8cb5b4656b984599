package dev.airlock.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where one command line runs: the working folder its relative paths name, the environment its
 * defaults and {@code --secret} read, and the {@link Engines} it takes its engine from. A process
 * of its own ({@code java ... Main}) runs every command in {@link #process()}: the JVM's folder and
 * environment, engines built per run. The resident process ({@code dev.airlock.cli.resident}) runs
 * each client's command line in that client's folder and environment, on one thread, with engines
 * that stay warm between command lines.
 */
public final class Invocation {
    private static final Invocation PROCESS = new Invocation(null, null, Engines.perRun());
    private static final ThreadLocal<Invocation> CURRENT = new ThreadLocal<>();

    private final Path cwd;
    private final Map<String, String> env;
    private final Engines engines;

    private Invocation(Path cwd, Map<String, String> env, Engines engines) {
        this.cwd = cwd;
        this.env = env;
        this.engines = engines;
    }

    /** This process's own folder and environment, engines built per run. */
    public static Invocation process() {
        return PROCESS;
    }

    /**
     * A client's command line.
     *
     * @param cwd the client's working folder; must be absolute
     * @param env the client's environment (copied)
     * @param engines where its engines come from
     * @throws IllegalArgumentException if {@code cwd} is not absolute
     */
    public static Invocation of(Path cwd, Map<String, String> env, Engines engines) {
        if (!cwd.isAbsolute()) {
            throw new IllegalArgumentException("the working folder must be absolute: " + cwd);
        }
        return new Invocation(
                cwd.normalize(), Map.copyOf(env), Objects.requireNonNull(engines, "engines"));
    }

    /** The invocation of the command line this thread runs ({@link #process()} outside one). */
    public static Invocation current() {
        Invocation i = CURRENT.get();
        return i != null ? i : PROCESS;
    }

    /** Runs {@code work} on this thread as part of {@code invocation}. */
    static <T> T within(Invocation invocation, Supplier<T> work) {
        Invocation before = CURRENT.get();
        CURRENT.set(invocation);
        try {
            return work.get();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    /**
     * A path the user gave: resolved against the client's working folder, as is in the process's
     * own ({@code -}, standard output or error where an option accepts it, stays {@code -}).
     */
    public Path path(String given) {
        return path(Path.of(given));
    }

    /** A path that may be relative, resolved as {@link #path(String)} does. */
    public Path path(Path given) {
        if (cwd == null || given.isAbsolute() || given.toString().equals("-")) {
            return given;
        }
        Path p = given;
        while (p.getNameCount() > 1 && p.getName(0).toString().equals(".")) {
            p = p.subpath(1, p.getNameCount()); // the same file, named as the folder names it
        }
        return cwd.resolve(p);
    }

    /** An environment variable, or null. */
    public String env(String name) {
        return env == null ? System.getenv(name) : env.get(name);
    }

    Engines engines() {
        return engines;
    }
}
