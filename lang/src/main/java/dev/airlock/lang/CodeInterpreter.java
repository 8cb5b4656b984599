package dev.airlock.lang;

import dev.airlock.core.Airlock;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Policy;
import dev.airlock.core.Snapshot;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.EventSink;
import java.util.Map;
import java.util.Objects;

/**
 * Airlock as a code interpreter: runs Python and JavaScript snippets under a {@link Policy}, one
 * shot ({@link #run}) or in {@link Session}s that keep state between calls. Thread-safe; meant to
 * be shared.
 *
 * <p>With warm start (the default), each language's interpreter is started once per process and
 * captured as a snapshot; every snippet or session then starts from a restore of that image, which
 * skips the interpreter's start-up. Snippets that share the {@linkplain Builder#poolPolicy pool
 * policy} take an instance restored ahead of time from a small pool.
 *
 * <pre>{@code
 * CodeInterpreter ci = CodeInterpreter.create();
 * Execution e = ci.run(Language.PYTHON, "print(6 * 7)", Policy.defaults(), Stdio.inherit());
 * }</pre>
 */
public final class CodeInterpreter implements AutoCloseable {
    private final Airlock airlock;
    private final InterpreterImages images;
    private final OneShotRuns oneShots;
    private final PreparedRuns prepared;

    private CodeInterpreter(Builder b) {
        this.airlock = b.airlock == null ? Airlock.create() : b.airlock;
        ImageCache imageCache = b.imageCache == null ? null : new ImageCache(b.imageCache);
        this.images = new InterpreterImages(airlock, b.warmStart, imageCache);
        this.oneShots = new OneShotRuns(images, b.poolPolicy, b.poolSize);
        this.prepared = new PreparedRuns(this, imageCache);
    }

    /** The interpreters' modules and images, which sessions and prepared runs restore from. */
    InterpreterImages images() {
        return images;
    }

    /** The engine this interpreter runs on (shared with whatever else the caller runs on it). */
    public Airlock airlock() {
        return airlock;
    }

    /** A code interpreter with its own {@link Airlock}, warm start and no pool. */
    public static CodeInterpreter create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs a snippet in a fresh interpreter and discards it. Never throws for anything the snippet
     * does; an interpreter that cannot start is a {@code rejected} outcome.
     */
    public Execution run(Language language, String code, Policy policy, Stdio stdio) {
        return run(language, code, policy, stdio, EventSink.none());
    }

    /**
     * As {@link #run(Language, String, Policy, Stdio)}, sending the events of the interpreter's
     * start (when it is not taken from the pool) and of the snippet's run to {@code events}.
     */
    public Execution run(
            Language language, String code, Policy policy, Stdio stdio, EventSink events) {
        return run(language, code, policy, stdio, events, Map.of());
    }

    /**
     * As {@link #run(Language, String, Policy, Stdio, EventSink)}, with {@code files} (guest path
     * to content) written into the sandbox before the snippet runs. The {@link Execution#files()}
     * are then the files under {@code /workspace} the snippet created or changed (not for a {@code
     * rejected} outcome).
     *
     * @throws IllegalArgumentException if a file cannot be written (a bad path, or over the
     *     policy's filesystem quota)
     */
    public Execution run(
            Language language,
            String code,
            Policy policy,
            Stdio stdio,
            EventSink events,
            Map<String, byte[]> files) {
        return run(
                language,
                Program.of(Objects.requireNonNull(code, "code")),
                policy,
                stdio,
                events,
                files);
    }

    /**
     * As {@link #run(Language, String, Policy, Stdio, EventSink, Map)}, for a {@link Program}: a
     * snippet, or a file's program with its name and arguments.
     *
     * @throws IllegalArgumentException if a file cannot be written (a bad path, or over the
     *     policy's filesystem quota)
     */
    public Execution run(
            Language language,
            Program program,
            Policy policy,
            Stdio stdio,
            EventSink events,
            Map<String, byte[]> files) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(files, "files");
        return oneShots.run(language, program, policy, stdio, events, files);
    }

    /**
     * Runs {@code program} in a fresh interpreter holding a prepared application: the first run for
     * an application, policy mounts and environment writes its files, runs its warm-up and keeps
     * the image taken after it (in memory, and on disk with an {@linkplain Builder#imageCache image
     * cache}); every run then restores that image, runs the per-run snippet and the program. The
     * warm-up's events are not sent to {@code events}: only those of the restore and the run. Never
     * throws for anything the guest does.
     *
     * @throws IllegalArgumentException if the application's files cannot be written (a bad path, or
     *     over the policy's filesystem quota)
     */
    public Execution runPrepared(
            Language language,
            Prepared app,
            Program program,
            Policy policy,
            Stdio stdio,
            EventSink events) {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(program, "program");
        return prepared.run(language, app, program, policy, stdio, events);
    }

    /**
     * Opens a session: an interpreter whose globals and files persist from call to call.
     *
     * @throws ModuleRejectedException if the interpreter cannot start under the policy
     */
    public Session openSession(Language language, Policy policy) throws ModuleRejectedException {
        return openSession(language, policy, EventSink.none());
    }

    /**
     * Opens a session whose instances (the first, and those of resets, restores and forks) send
     * their events to {@code events}, each carrying the session's id.
     *
     * @throws ModuleRejectedException if the interpreter cannot start under the policy
     */
    public Session openSession(Language language, Policy policy, EventSink events)
            throws ModuleRejectedException {
        String id = java.util.UUID.randomUUID().toString();
        return new Session(
                this,
                id,
                language,
                policy,
                events,
                images.restoreWarm(language, policy, events, id, Map.of()));
    }

    /**
     * Continues a session from a captured state, under its id: as {@link Session#restore} would,
     * with {@code base} (or {@code null}) the state a stopped snippet resets to and {@code runs}
     * the snippets run so far. For servers that keep sessions in a shared store.
     *
     * @throws ModuleRejectedException if the state is of another language or does not fit the
     *     policy
     */
    public Session resumeSession(
            String id,
            Language language,
            Policy policy,
            EventSink events,
            Snapshot state,
            Snapshot base,
            int runs)
            throws ModuleRejectedException {
        Session s =
                new Session(
                        this,
                        id,
                        language,
                        policy,
                        events,
                        images.restore(language, state, policy, events, id));
        s.resumed(base, runs);
        return s;
    }

    /**
     * Loads {@code language}'s interpreter and, with {@linkplain Builder#warmStart warm start} on,
     * makes or reads its start image: what the language's first run or session would do first.
     * Thread-safe; a run that needs them meanwhile waits for this call to finish rather than doing
     * the work twice, so a caller can start it on another thread while it does something else (the
     * CLI opens its store meanwhile). Optional: runs work the same without it.
     *
     * @throws ModuleRejectedException if the interpreter cannot be loaded or started
     */
    public void prepare(Language language) throws ModuleRejectedException {
        images.prepare(language);
    }

    @Override
    public void close() {
        oneShots.close();
    }

    /** Configures a {@link CodeInterpreter}. */
    public static final class Builder {
        private Airlock airlock;
        private boolean warmStart = true;
        private Policy poolPolicy;
        private int poolSize;
        private java.nio.file.Path imageCache;

        private Builder() {}

        /**
         * Keep started interpreters' images in {@code dir} (default: none), so that a later process
         * restores an interpreter from disk instead of starting it. The folder is created
         * owner-only; images are read only from a folder and files the current user owns and nobody
         * else may write, and only for the same interpreter module, driver files and Airlock code.
         */
        public Builder imageCache(java.nio.file.Path dir) {
            this.imageCache = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** The Airlock to run on (default: a new one with its defaults). */
        public Builder airlock(Airlock airlock) {
            this.airlock = Objects.requireNonNull(airlock, "airlock");
            return this;
        }

        /**
         * Keep each language's post-initialisation snapshot for later snippets and sessions
         * (default true). Off, every snippet and session starts its interpreter again (and then
         * restores the image it just made, which costs microseconds): this only saves the memory of
         * the kept images. Either way the interpreter starts under its own start-up allowance,
         * never under the caller's time limit, and {@link dev.airlock.core.Usage#startMillis()}
         * tells how long it took.
         */
        public Builder warmStart(boolean warmStart) {
            this.warmStart = warmStart;
            return this;
        }

        /**
         * Keep {@code size} instances per language restored ahead of time for snippets run with
         * exactly this policy object (default: no pool). Since restores share the warm image's
         * memory copy-on-write they take well under a millisecond, and the pool's background
         * refills compete with the snippets for CPU: measure before using it (bench/README.md; on 2
         * cores it made Python {@code print(1)} slower, 3.0 ms against 1.15 ms at p50).
         *
         * @throws IllegalArgumentException if size is negative or above 64
         */
        public Builder pool(Policy policy, int size) {
            if (size < 0 || size > 64) {
                throw new IllegalArgumentException("pool size must be 0..64: " + size);
            }
            this.poolPolicy = Objects.requireNonNull(policy, "policy");
            this.poolSize = size;
            return this;
        }

        /**
         * @throws IllegalArgumentException if a pool is asked without warm start
         */
        public CodeInterpreter build() {
            if (poolSize > 0 && !warmStart) {
                throw new IllegalArgumentException("a pool needs warm start");
            }
            return new CodeInterpreter(this);
        }
    }
}
