package dev.airlock.core;

import dev.airlock.core.engine.GuestRunner;
import dev.airlock.core.engine.InstanceMaker;
import dev.airlock.core.engine.module.CompiledModule;
import dev.airlock.core.engine.module.Inspector;
import dev.airlock.core.engine.module.ModuleLoader;
import dev.airlock.core.engine.run.GuestThreads;
import dev.airlock.core.event.EventSink;
import dev.airlock.core.time.Ticker;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * The entry point for embedders: loads modules (validated and compiled once, cached by SHA-256) and
 * runs them under a {@link Policy}. Thread-safe; one instance is meant to be shared.
 *
 * <pre>{@code
 * Airlock airlock = Airlock.create();
 * GuestModule module = airlock.load(Path.of("hello.wasm"));
 * Outcome outcome = airlock.run(module, Policy.builder().args("world").build(), Stdio.inherit());
 * }</pre>
 */
public final class Airlock {
    private final ModuleLoader loader;
    private final GuestRunner runner;
    private final InstanceMaker instances;

    private Airlock(Builder b) {
        this.loader =
                new ModuleLoader(b.memoryCacheEntries, b.diskCache, b.compile, b.splitThreshold);
        this.runner = new GuestRunner(b.ticker, b.clock, b.inline);
        this.instances = new InstanceMaker(b.ticker, b.clock);
    }

    /** An Airlock with the defaults: compiler on, 64 modules cached in memory, no disk cache. */
    public static Airlock create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The WebAssembly engine underneath, such as {@code Chicory 1.7.5} (read from the engine's
     * packaging; {@code Chicory (version unknown)} where that is missing).
     */
    public static String engineVersion() {
        return dev.airlock.core.engine.EngineVersion.describe();
    }

    /**
     * Validates a module, or returns it from the cache. It is compiled on first use: a run, an
     * instance or {@link GuestModule#isCompiled()}; runs with a fuel budget compile only the
     * metered copy they execute.
     *
     * @throws ModuleRejectedException if the bytes are not a valid WebAssembly module
     */
    public GuestModule load(byte[] bytes) throws ModuleRejectedException {
        Objects.requireNonNull(bytes, "bytes");
        return new GuestModule(loader.loadDeferred(bytes));
    }

    /**
     * Loads a module whose SHA-256 is known in advance (such as one shipped with its digest):
     * {@code bytes} is called only when the module is in neither the memory nor the disk cache, and
     * what it gives is checked against {@code sha256} before it is parsed, so a process that finds
     * the module compiled on disk never reads or hashes it. Cached like {@link #load(byte[])}.
     *
     * @param sha256 the module's SHA-256, lowercase hex
     * @param size the module's length in bytes
     * @param bytes reads the module
     * @throws ModuleRejectedException if the bytes are not a valid module, cannot be read, or do
     *     not match {@code sha256} (reason {@code unreadable})
     * @throws IllegalArgumentException if {@code sha256} is not 64 lowercase hex digits or {@code
     *     size} is negative
     */
    public GuestModule load(String sha256, long size, java.util.function.Supplier<byte[]> bytes)
            throws ModuleRejectedException {
        Objects.requireNonNull(bytes, "bytes");
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
        return new GuestModule(loader.loadDeferred(sha256, size, bytes));
    }

    /**
     * Reads a module file in the binary ({@code .wasm}) or the text format ({@code .wat}, assembled
     * first; see {@link ModuleSource}) and {@linkplain #load(byte[]) loads} it.
     *
     * @throws ModuleRejectedException if it is unreadable, its text does not assemble, or it is not
     *     a valid module
     */
    public GuestModule load(Path file) throws ModuleRejectedException {
        return load(ModuleSource.read(file));
    }

    /**
     * Loads a module compiled to JVM bytecode ahead of time (by Chicory's build-time compiler, as
     * interpreters such as CPython for WASI are shipped): the module bytes are validated as usual
     * and its machine is {@code machineClass}, loaded from {@code loader}. Cached like {@link
     * #load(byte[])}.
     *
     * @throws ModuleRejectedException if the bytes are invalid or the machine class is unusable
     */
    public GuestModule loadPrecompiled(byte[] bytes, String machineClass, ClassLoader loader)
            throws ModuleRejectedException {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(machineClass, "machineClass");
        Objects.requireNonNull(loader, "loader");
        return new GuestModule(this.loader.loadPrecompiled(bytes, machineClass, loader));
    }

    /**
     * Makes a long-lived instance of a module (a library, a reactor or an interpreter) whose
     * exports are then called one by one under the policy, each call a run with its own outcome.
     * The instance's start section runs here, under the policy's limits; {@code _start} is not
     * called. Fuel budgets apply only when the setup asks for {@linkplain
     * InstanceSetup.Builder#fuelPerCall(boolean) fuel per call}.
     *
     * @throws ModuleRejectedException if the module cannot run under the policy (an import nothing
     *     provides, memory above the cap) or its start section failed
     */
    public GuestInstance instantiate(GuestModule module, Policy policy, InstanceSetup setup)
            throws ModuleRejectedException {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(setup, "setup");
        return instances.create(
                module.loaded(), () -> meteredIfAsked(module, policy, setup), policy, setup, null);
    }

    /**
     * Makes a fresh instance from a snapshot of {@code module}: memory, globals, tables and files
     * are those captured, and no initialisation runs. Restoring one snapshot several times forks
     * independent instances. The snapshot's files win over the setup's seeded files; seeded files
     * of other paths are added.
     *
     * @throws ModuleRejectedException if the snapshot was taken from another module or does not fit
     *     the policy's limits
     */
    public GuestInstance restore(
            Snapshot snapshot, GuestModule module, Policy policy, InstanceSetup setup)
            throws ModuleRejectedException {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(setup, "setup");
        return instances.create(
                module.loaded(),
                () -> meteredIfAsked(module, policy, setup),
                policy,
                setup,
                snapshot);
    }

    /**
     * A factory of daemon threads with a {@code stackBytes} stack. A run started on one of these
     * threads (and not already running a guest) executes right there instead of being handed to
     * Airlock's own threads, which saves a thread hand-off per run: give it to the pool that calls
     * {@link #run}. The stack limit is then this thread's stack when it is at least {@link
     * Limits#stackBytes()}; otherwise the run is handed off as usual.
     */
    public static ThreadFactory guestThreadFactory(long stackBytes) {
        if (stackBytes < (256L << 10)) {
            throw new IllegalArgumentException("stack must be at least 256KiB");
        }
        return GuestThreads.factory(stackBytes, "airlock-worker-");
    }

    /**
     * Describes a module and what {@code policy} would do with each of its imports. With a fuel
     * budget in the policy, the compilation figures are those of the metered copy, and a module
     * that cannot be metered is not runnable.
     */
    public ModuleInfo inspect(GuestModule module, Policy policy) {
        if (policy.limits().fuel().isPresent()) {
            try {
                return Inspector.inspect(
                        loader.metered(module.loaded(), policy.limits().fuelCosts()), policy);
            } catch (ModuleRejectedException e) {
                ModuleInfo i = Inspector.inspect(module.compiled(), policy);
                List<String> problems = new ArrayList<>(i.problems());
                problems.add(e.getMessage());
                return new ModuleInfo(
                        i.sha256(),
                        i.size(),
                        i.kind(),
                        i.exports(),
                        i.memories(),
                        i.tables(),
                        i.imports(),
                        i.functions(),
                        i.compiled(),
                        i.interpretedFunctions(),
                        i.compileNote(),
                        false,
                        problems);
            }
        }
        return Inspector.inspect(module.compiled(), policy);
    }

    /**
     * Why {@link #run} would refuse the module under {@code policy} before it starts: imports the
     * policy does not resolve, no {@code _start} that takes and returns nothing, initial memory or
     * table above the limits. Empty when it would start. Read from the module's sections without
     * compiling or metering it: a module that cannot be metered shows no problem here, and {@link
     * #run} then refuses it as {@code unmeterable}. Each problem is a sentence, as in {@link
     * ModuleInfo#problems()}.
     *
     * @throws ModuleRejectedException if the module had to be parsed again (its parsed form is held
     *     softly until it is compiled) and no longer parses: not expected, since it was validated
     *     when loaded
     */
    public List<String> problems(GuestModule module, Policy policy) throws ModuleRejectedException {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(policy, "policy");
        return module.loaded().problems(policy);
    }

    /**
     * Every import of the module, with its capability and what {@code policy} does with it, as
     * {@link ModuleInfo#imports()} gives them, read from the module's sections without compiling it
     * (what a registry or an installer needs to check a module it may never run).
     *
     * @throws ModuleRejectedException if the module had to be parsed again (see {@link #problems})
     *     and no longer parses
     */
    public List<ModuleInfo.Import> imports(GuestModule module, Policy policy)
            throws ModuleRejectedException {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(policy, "policy");
        return Inspector.imports(module.loaded().sections(), policy);
    }

    /**
     * The module as another engine should run it under {@code policy} to use the same fuel as
     * {@link #run}: without a fuel budget its own bytes; with one, the metered copy that {@link
     * #run} executes, for the policy's {@linkplain Limits#fuelCosts() prices}, its fuel global
     * starting at the budget and exported (see {@link PortableModule}). Nothing is run or compiled.
     *
     * @throws ModuleRejectedException with reason {@code unmeterable} if the module cannot be
     *     metered (or already exports the fuel global's name), {@code unreadable} if its bytes are
     *     no longer available
     */
    public PortableModule portable(GuestModule module, Policy policy)
            throws ModuleRejectedException {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(policy, "policy");
        byte[] original;
        try {
            original = module.loaded().bytes();
        } catch (RuntimeException e) {
            throw new ModuleRejectedException(
                    "unreadable", "the module's bytes are not available", module.sha256(), e);
        }
        if (policy.limits().fuel().isEmpty()) {
            return new PortableModule(original, null, -1, 0, 0);
        }
        long budget = policy.limits().fuel().getAsLong();
        dev.airlock.core.fuel.CostTable costs = policy.limits().fuelCosts();
        try {
            dev.airlock.core.fuel.Metered m =
                    dev.airlock.core.fuel.Metering.instrument(original, costs);
            return new PortableModule(
                    dev.airlock.core.fuel.FuelExport.of(m, budget),
                    dev.airlock.core.fuel.FuelExport.NAME,
                    budget,
                    costs.hostCall(),
                    costs.hostPerKiB());
        } catch (dev.airlock.core.fuel.MeteringException e) {
            throw new ModuleRejectedException(
                    "unmeterable", "cannot meter fuel: " + e.getMessage(), module.sha256(), e);
        }
    }

    /**
     * Runs the module's {@code _start} under the policy, with output going to {@code stdio}. Never
     * throws for anything the guest does: every ending is an {@link Outcome}.
     *
     * <p>With a {@linkplain Limits#fuel() fuel budget}, the run executes a metered copy of the
     * module, made (and validated and compiled) on the first such run and cached with the module
     * for these {@linkplain Limits#fuelCosts() prices}. A module the metering pass cannot meter is
     * {@link Status#REJECTED} with reason {@code unmeterable}.
     */
    public Outcome run(GuestModule module, Policy policy, Stdio stdio) {
        return run(module, policy, stdio, EventSink.none());
    }

    private CompiledModule meteredIfAsked(GuestModule module, Policy policy, InstanceSetup setup)
            throws ModuleRejectedException {
        if (setup.fuelPerCall() && policy.limits().fuel().isPresent()) {
            return loader.metered(module.loaded(), policy.limits().fuelCosts());
        }
        return module.compiled();
    }

    /** As {@link #run(GuestModule, Policy, Stdio)}, sending every event to {@code events}. */
    public Outcome run(GuestModule module, Policy policy, Stdio stdio, EventSink events) {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(stdio, "stdio");
        Objects.requireNonNull(events, "events");
        return runner.run(
                module.loaded(),
                () ->
                        policy.limits().fuel().isPresent()
                                ? loader.metered(module.loaded(), policy.limits().fuelCosts())
                                : module.compiled(),
                policy,
                stdio,
                events);
    }

    /**
     * Reports a module that {@link #load} refused as a run refused before it started: sends a
     * {@code MODULE_REJECTED} lifecycle event (details: {@code reason}, such as {@code malformed}
     * or {@code invalid}, and {@code problem}) and an {@code OUTCOME} event (status {@code
     * rejected}) to {@code events} under a new run id, as {@link #run} does for a module whose
     * imports the policy refuses, so that an audit trail shows every refusal. The events carry the
     * module's SHA-256, or {@code null} when its bytes could not be read.
     *
     * @return the refusal as an outcome ({@link ModuleRejectedException#toOutcome()})
     */
    public Outcome rejected(ModuleRejectedException rejection, EventSink events) {
        Objects.requireNonNull(rejection, "rejection");
        Objects.requireNonNull(events, "events");
        return runner.rejected(rejection, events);
    }

    /** Configures an {@link Airlock}. */
    public static final class Builder {
        private int memoryCacheEntries = 64;
        private Path diskCache;
        private boolean compile = true;
        private int splitThreshold = ModuleLoader.defaultSplitThreshold();
        private Ticker ticker = Ticker.system();
        private Clock clock = Clock.systemUTC();
        private boolean inline;

        private Builder() {}

        /**
         * How many compiled modules to keep in memory (default 64).
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder memoryCacheEntries(int entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("cache entries must be >= 1: " + entries);
            }
            this.memoryCacheEntries = entries;
            return this;
        }

        /** Also keep compiled code in this folder, created owner-only (default: none). */
        public Builder diskCache(Path dir) {
            this.diskCache = dir;
            return this;
        }

        /** Whether to compile modules to JVM bytecode (default true) or interpret them. */
        public Builder compile(boolean compile) {
            this.compile = compile;
            return this;
        }

        /**
         * Functions whose WebAssembly body is longer than this many bytes are split into smaller
         * ones before they are compiled, so that the JVM compiles all of them fully; 0 turns the
         * splitting off. The default is the system property {@code airlock.split} if set, else
         * {@value dev.airlock.core.split.Splitter#DEFAULT_THRESHOLD}. Splitting changes neither
         * results nor fuel use.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder splitThreshold(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("split threshold must be >= 0: " + bytes);
            }
            this.splitThreshold = bytes;
            return this;
        }

        /** The time source of timeouts (default {@link Ticker#system()}). */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** The clock that stamps events (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Run every guest on the calling thread (default false). This saves the hand-off to a guest
         * thread, but the caller's stack then bounds guest recursion instead of {@link
         * Limits#stackBytes()} (deeper recursion still ends as a stack limit), and a timeout
         * interrupts the caller's thread (its interrupt flag is cleared after the run).
         * Interrupting the caller's thread during the run stops it as {@code interrupted} within a
         * few milliseconds, and the flag is then still set when {@code run} returns. Prefer {@link
         * Airlock#guestThreadFactory(long)} for pools of callers.
         */
        public Builder inlineExecution(boolean inline) {
            this.inline = inline;
            return this;
        }

        public Airlock build() {
            return new Airlock(this);
        }
    }
}
