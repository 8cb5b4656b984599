package dev.airlock.core.engine;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.MutabilityType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.airlock.core.Durations;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.engine.host.HostImports;
import dev.airlock.core.engine.memory.ChicoryGuestMemory;
import dev.airlock.core.engine.memory.Snapshots;
import dev.airlock.core.engine.module.Compilation;
import dev.airlock.core.engine.module.CompiledModule;
import dev.airlock.core.engine.module.Inspector;
import dev.airlock.core.engine.module.LoadedModule;
import dev.airlock.core.engine.run.GuestThreads;
import dev.airlock.core.engine.run.Outcomes;
import dev.airlock.core.engine.run.RunLocals;
import dev.airlock.core.engine.run.RunningThread;
import dev.airlock.core.engine.run.Traps;
import dev.airlock.core.engine.run.Watchdog;
import dev.airlock.core.engine.wasi.StdinStream;
import dev.airlock.core.engine.wasi.WasiBinding;
import dev.airlock.core.event.EventSink;
import dev.airlock.core.event.LifecycleEvent;
import dev.airlock.core.mediation.Mediator;
import dev.airlock.core.mediation.OutputBudget;
import dev.airlock.core.mediation.Rules;
import dev.airlock.core.mediation.Verdict;
import dev.airlock.core.time.Ticker;
import dev.airlock.core.vfs.QuotaExceededException;
import dev.airlock.core.vfs.VirtualFileSystem;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Runs one compiled module under a policy and returns its outcome. Thread-safe. */
public final class GuestRunner {
    /** How long a stopped guest may take to unwind before the run is reported anyway. */
    private static final long GRACE_MILLIS = 2000;

    private final Ticker ticker;
    private final Clock clock;
    private final Watchdog watchdog;
    private final boolean inline;

    /**
     * @param inline run every guest on the caller's thread (the caller's stack then bounds
     *     recursion); otherwise only on idle guest threads
     */
    public GuestRunner(Ticker ticker, Clock clock, boolean inline) {
        this.ticker = ticker;
        this.clock = clock;
        this.inline = inline;
        this.watchdog = new Watchdog(ticker);
    }

    /**
     * A module refused before a run could start (it did not load, or cannot be metered): sends
     * {@code MODULE_REJECTED} and {@code OUTCOME} to {@code sink} under a new run id, as a run
     * refused for its imports does, and returns the outcome.
     */
    public Outcome rejected(ModuleRejectedException e, EventSink sink) {
        Mediator mediator =
                new Mediator(
                        UUID.randomUUID().toString(),
                        e.sha256(),
                        sink,
                        clock,
                        ticker,
                        m -> f -> null);
        return Outcomes.rejected(mediator, e.reason(), e.getMessage(), e.sha256());
    }

    /**
     * Runs {@code _start} of {@code module} under the policy. A module the policy refuses for its
     * sections ({@link Inspector#problems}: imports, entry point, limits) is refused from them,
     * before {@code compile} is asked for what the run executes; a refusal sends {@code
     * MODULE_REJECTED} and {@code OUTCOME} to {@code sink} under a new run id, as a module {@code
     * compile} rejects does. Never throws for anything the guest does.
     */
    public Outcome run(
            LoadedModule module, Compilation compile, Policy policy, Stdio stdio, EventSink sink) {
        CompiledModule cm;
        try {
            List<String> problems = module.problems(policy);
            if (!problems.isEmpty()) {
                return Outcomes.rejected(
                        mediator(module.sha256(), policy, sink),
                        Inspector.reason(problems.get(0)),
                        problems.get(0),
                        module.sha256());
            }
            cm = compile.get();
        } catch (ModuleRejectedException e) {
            return rejected(e, sink);
        }
        return start(cm, policy, stdio, sink);
    }

    private Mediator mediator(String sha256, Policy policy, EventSink sink) {
        Rules rules = new Rules(policy);
        Function<String, Function<String, Verdict>> byModule =
                m -> WasiBinding.MODULE.equals(m) ? rules::wasi : HostImports.rules(policy, m);
        return new Mediator(UUID.randomUUID().toString(), sha256, sink, clock, ticker, byModule);
    }

    /** Runs {@code _start} of a module the policy admitted. */
    private Outcome start(CompiledModule cm, Policy policy, Stdio stdio, EventSink sink) {
        Limits limits = policy.limits();
        Mediator mediator = mediator(cm.sha256(), policy, sink);
        GlobalInstance fuel = null;
        long fuelBudget = -1;
        if (cm.metered()) {
            fuelBudget = limits.fuel().orElse(Long.MAX_VALUE);
            fuel = new GlobalInstance(fuelBudget, 0, ValType.I64, MutabilityType.Var);
            mediator.meterFuel(
                    FuelGlobals.counter(fuel),
                    fuelBudget,
                    cm.fuel().costs().hostCall(),
                    cm.fuel().costs().hostPerKiB());
        }
        Map<String, Object> accepted = new LinkedHashMap<>();
        accepted.put("size", cm.size());
        accepted.put("compiled", cm.compiled());
        accepted.put("limits", limits.toString());
        if (fuel != null) {
            accepted.put("fuel", fuelBudget);
        }
        accepted.put("grants", Grants.of(policy));
        mediator.lifecycle(LifecycleEvent.Type.MODULE_ACCEPTED, accepted);

        long startNanos = ticker.nanos();
        VirtualFileSystem vfs;
        try {
            vfs = VirtualFileSystem.create(policy.mounts(), limits);
        } catch (QuotaExceededException e) {
            return finish(
                    mediator, Traps.End.limit(LimitKind.FS_QUOTA, e.getMessage()), 0, null, 0, cm);
        } catch (IOException e) {
            return finish(
                    mediator,
                    new Traps.End(
                            Status.ERROR, null, null, "cannot prepare mounts: " + e.getMessage()),
                    0,
                    null,
                    0,
                    cm);
        }
        try (vfs;
                RunLocals locals = new RunLocals();
                StdinStream stdin = StdinStream.open(policy)) {
            OutputBudget budget = new OutputBudget(limits.maxOutputBytes(), mediator);
            WasiBinding wasi =
                    new WasiBinding(
                            policy, stdin, vfs, mediator, budget, stdio.stdout(), stdio.stderr());
            Execution ex =
                    new Execution(
                            cm,
                            limits,
                            HostImports.functions(wasi, policy, mediator, locals),
                            mediator,
                            fuel);
            Watchdog.Watched w =
                    new Watchdog.Watched() {
                        final long deadline = startNanos + limits.timeout().toNanos();

                        @Override
                        public long deadlineNanos() {
                            return deadline;
                        }

                        @Override
                        public void expire() {
                            mediator.requestStop(
                                    LimitKind.TIME,
                                    "limit exceeded: time ("
                                            + Durations.format(limits.timeout())
                                            + ")");
                            ex.interrupt();
                        }

                        @Override
                        public void poll() {
                            if (ex.running.interruptedFromOutside()) {
                                mediator.requestStop(
                                        LimitKind.INTERRUPTED, RunningThread.CALLER_INTERRUPTED);
                                ex.interrupt();
                            }
                        }
                    };
            watchdog.watch(w);
            Traps.End end;
            boolean finished;
            GuestThreads.GuestThread here =
                    inline ? null : GuestThreads.idleCurrent(limits.stackBytes());
            if (inline || here != null) {
                // on the caller's thread: no hand-off
                if (here != null) {
                    here.busy = true;
                }
                try {
                    ex.run();
                } finally {
                    if (here != null) {
                        here.busy = false;
                    }
                }
                if (ex.running.wasInterruptedFromOutside()) {
                    Thread.currentThread().interrupt(); // the caller's own interrupt, kept for it
                }
                end = ex.end();
                finished = true;
            } else {
                Future<?> future = GuestThreads.forStack(limits.stackBytes()).submit(ex);
                end = await(future, ex, mediator);
                finished = future.isDone();
            }
            watchdog.unwatch(w);
            if (fuel != null && fuel.getValue() < 0) {
                // the guest's own check trapped (or the host stopped it): fuel ran out first
                end = Traps.End.limit(LimitKind.FUEL, Mediator.fuelMessage(fuelBudget));
            }
            if (finished && LimitKind.STACK.id().equals(end.kind())) {
                // the overflow may have cut a host call short before its event was delivered
                mediator.reportUnfinishedCall();
            }
            flush(stdio);
            long wallMillis = (ticker.nanos() - startNanos) / 1_000_000;
            if (end.status() == Status.OK || end.status() == Status.EXIT) {
                try {
                    vfs.copyBack();
                } catch (IOException | RuntimeException e) {
                    end =
                            new Traps.End(
                                    Status.ERROR,
                                    end.exitCode(),
                                    null,
                                    "could not copy files back: " + e.getMessage());
                }
            }
            Outcome outcome = finish(mediator, end, wallMillis, budget, ex.memoryBytes(), cm);
            if (finished) {
                ex.release(); // a guest still running (not stopped in time) keeps its memory
            }
            return outcome;
        }
    }

    private Traps.End await(Future<?> future, Execution ex, Mediator mediator) {
        boolean callerInterrupted = false;
        try {
            while (true) {
                try {
                    future.get(50, TimeUnit.MILLISECONDS);
                    return ex.end();
                } catch (TimeoutException e) {
                    if (mediator.stopKind() != null) {
                        try {
                            future.get(GRACE_MILLIS, TimeUnit.MILLISECONDS);
                            return ex.end();
                        } catch (TimeoutException stuck) {
                            ex.interrupt();
                            return Traps.End.limit(mediator.stopKind(), mediator.stopMessage());
                        } catch (InterruptedException | ExecutionException other) {
                            callerInterrupted |= other instanceof InterruptedException;
                            return Traps.End.limit(mediator.stopKind(), mediator.stopMessage());
                        }
                    }
                } catch (InterruptedException e) {
                    // remembered and restored once the guest is done: setting the flag again
                    // here would make every later get() throw at once, a busy loop
                    callerInterrupted = true;
                    mediator.requestStop(LimitKind.INTERRUPTED, RunningThread.CALLER_INTERRUPTED);
                    ex.interrupt();
                } catch (ExecutionException e) {
                    return Traps.internal(e.getCause());
                }
            }
        } finally {
            if (callerInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void flush(Stdio stdio) {
        try {
            stdio.stdout().flush();
            stdio.stderr().flush();
        } catch (IOException ignored) {
            // the caller's streams are the caller's business
        }
    }

    private Outcome finish(
            Mediator mediator,
            Traps.End end,
            long wallMillis,
            OutputBudget budget,
            long memoryBytes,
            CompiledModule cm) {
        return Outcomes.finish(mediator, end, wallMillis, budget, memoryBytes, cm.sha256());
    }

    /** The guest side of a run, on its own big-stack thread. */
    private static final class Execution implements Runnable {
        private final CompiledModule cm;
        private final Limits limits;
        private final HostFunction[] functions;
        private final Mediator mediator;
        private final GlobalInstance fuel;
        private final RunningThread running = new RunningThread();
        private volatile Traps.End end;
        private volatile Instance instance;

        Execution(
                CompiledModule cm,
                Limits limits,
                HostFunction[] functions,
                Mediator mediator,
                GlobalInstance fuel) {
            this.cm = cm;
            this.limits = limits;
            this.functions = functions;
            this.mediator = mediator;
            this.fuel = fuel;
        }

        @Override
        public void run() {
            running.enter();
            try {
                // a stop that came before this thread was known could not interrupt it
                mediator.checkNotStopped();
                end = execute();
            } catch (RuntimeException e) {
                end = Traps.classify(e, mediator, limits, 0);
            } finally {
                running.exit();
            }
        }

        private Traps.End execute() {
            try {
                Instance inst =
                        Snapshots.build(
                                cm,
                                limits,
                                functions,
                                null,
                                fuel == null
                                        ? null
                                        : FuelGlobals.factory(cm.fuel().definedIndex(), fuel),
                                false);
                instance = inst;
                mediator.lifecycle(LifecycleEvent.Type.INSTANCE_STARTED, Map.of());
                ExportFunction start = inst.export("_start");
                start.apply();
                return Traps.End.ok();
            } catch (Throwable t) {
                if (t instanceof Error
                        && !(t instanceof StackOverflowError)
                        && !(t instanceof OutOfMemoryError)) {
                    return Traps.internal(t);
                }
                return Traps.classify(t, mediator, limits, memoryBytes());
            }
        }

        long memoryBytes() {
            return ChicoryGuestMemory.of(instance).size();
        }

        Traps.End end() {
            Traps.End e = end;
            return e != null
                    ? e
                    : new Traps.End(Status.ERROR, null, null, "internal error: no result");
        }

        void interrupt() {
            running.interrupt();
        }

        void release() {
            Snapshots.release(instance);
        }
    }
}
