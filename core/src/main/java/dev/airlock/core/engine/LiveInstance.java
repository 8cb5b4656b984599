package dev.airlock.core.engine;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.MutabilityType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.airlock.core.CallResult;
import dev.airlock.core.GuestInstance;
import dev.airlock.core.GuestMemory;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Snapshot;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.engine.host.Access;
import dev.airlock.core.engine.host.ToolBridge;
import dev.airlock.core.engine.host.ToolDevice;
import dev.airlock.core.engine.memory.ChicoryGuestMemory;
import dev.airlock.core.engine.memory.ShadowStack;
import dev.airlock.core.engine.memory.Snapshots;
import dev.airlock.core.engine.module.CompiledModule;
import dev.airlock.core.engine.run.GuardedCall;
import dev.airlock.core.engine.run.Outcomes;
import dev.airlock.core.engine.run.RunLocals;
import dev.airlock.core.engine.run.Traps;
import dev.airlock.core.engine.run.Watchdog;
import dev.airlock.core.engine.wasi.StdinStream;
import dev.airlock.core.engine.wasi.SwitchStream;
import dev.airlock.core.engine.wasi.WasiBinding;
import dev.airlock.core.event.LifecycleEvent;
import dev.airlock.core.mediation.Mediator;
import dev.airlock.core.mediation.OutputBudget;
import dev.airlock.core.time.Ticker;
import dev.airlock.core.vfs.GuestFiles;
import dev.airlock.core.vfs.VirtualFileSystem;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A long-lived instance: one Chicory instance, its virtual filesystem and WASI binding, called
 * export by export; each call is a run with its own mediator (run id, events, usage).
 */
public final class LiveInstance implements GuestInstance {
    private final CompiledModule cm;
    private final Policy policy;
    private final InstanceSetup setup;
    private final Ticker ticker;
    private final Clock clock;
    private final Watchdog watchdog;
    private final VirtualFileSystem vfs;
    private final GuestFiles files;
    private final WasiBinding wasi;
    private final StdinStream stdin;
    private final ToolBridge tools;
    private final SwitchStream out = new SwitchStream();
    private final SwitchStream err = new SwitchStream();
    private final Object callLock = new Object();
    private Mediator mediator;
    private final GlobalInstance fuel;
    private RunLocals locals = new RunLocals();
    private Instance instance;
    private volatile GuardedCall running;
    private boolean usable;
    private boolean movedStack;
    private boolean closed;
    private boolean guestMayRun; // a call's guest code did not stop in time: it may still run

    private LiveInstance(
            CompiledModule cm,
            Policy policy,
            InstanceSetup setup,
            Ticker ticker,
            Clock clock,
            Watchdog watchdog,
            VirtualFileSystem vfs) {
        this.cm = cm;
        this.policy = policy;
        this.setup = setup;
        this.ticker = ticker;
        this.clock = clock;
        this.watchdog = watchdog;
        this.vfs = vfs;
        this.files = new GuestFiles(vfs);
        this.fuel =
                cm.metered() && setup.fuelPerCall()
                        ? new GlobalInstance(0, 0, ValType.I64, MutabilityType.Var)
                        : null;
        this.mediator = newMediator();
        this.stdin = StdinStream.open(policy);
        this.wasi = new WasiBinding(policy, stdin, vfs, mediator, out, err);
        this.tools = new ToolBridge(policy, () -> this.mediator);
        if (setup.toolDevice() != null) {
            try {
                wasi.device(new ToolDevice(vfs.resolve(setup.toolDevice()), tools));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Creates and initialises an instance, from scratch or from a snapshot, of a module {@link
     * LiveStart#admit} admitted under the policy.
     *
     * @throws ModuleRejectedException if the instance could not be made (its start function failed,
     *     a snapshot does not fit)
     */
    static LiveInstance create(
            CompiledModule cm,
            Policy policy,
            InstanceSetup setup,
            Ticker ticker,
            Clock clock,
            Watchdog watchdog,
            Snapshot from)
            throws ModuleRejectedException {
        VirtualFileSystem vfs = LiveStart.fileSystem(cm, policy, setup);
        LiveInstance li = null;
        try {
            LiveStart.seed(vfs, setup, from);
            li = new LiveInstance(cm, policy, setup, ticker, clock, watchdog, vfs);
            li.instantiate(from);
            return li;
        } catch (IOException | RuntimeException e) {
            if (li != null) {
                li.close();
            } else {
                vfs.close();
            }
            if (e instanceof LiveStart.Rejected) {
                throw ((LiveStart.Rejected) e).rejection;
            }
            throw new ModuleRejectedException(
                    "instantiation",
                    "cannot create the instance: " + e.getMessage(),
                    cm.sha256(),
                    e);
        }
    }

    /** The least time a restore is given, whatever the policy's limit (see instantiate). */
    private static final java.time.Duration RESTORE_ALLOWANCE = java.time.Duration.ofMinutes(1);

    /** A mediator for the next call; with a fresh fuel budget when the instance is metered. */
    private Mediator newMediator() {
        Mediator m = LiveImports.mediator(cm.sha256(), policy, setup, clock, ticker);
        if (fuel != null) {
            long budget = policy.limits().fuel().orElse(Long.MAX_VALUE);
            fuel.setValue(budget);
            m.meterFuel(
                    FuelGlobals.counter(fuel),
                    budget,
                    cm.fuel().costs().hostCall(),
                    cm.fuel().costs().hostPerKiB());
        }
        return m;
    }

    private void instantiate(Snapshot from) {
        HostFunction[] functions =
                LiveImports.functions(wasi, policy, setup, () -> mediator, () -> locals, tools);
        Limits limits = policy.limits();
        // a restore runs no guest code (no start function, no data copied): the policy's time
        // limit is for the calls that follow, and a short one must not fail the restore itself
        Limits guard =
                from == null || limits.timeout().compareTo(RESTORE_ALLOWANCE) >= 0
                        ? limits
                        : limits.toBuilder().timeout(RESTORE_ALLOWANCE).build();
        GuardedCall g = new GuardedCall(mediator, guard, this::memoryBytes);
        Traps.End end =
                g.run(
                        () -> {
                            instance =
                                    Snapshots.build(
                                            cm,
                                            limits,
                                            functions,
                                            from,
                                            fuel == null
                                                    ? null
                                                    : FuelGlobals.factory(
                                                            cm.fuel().definedIndex(), fuel),
                                            setup.memoryUpToLimit());
                            movedStack =
                                    ShadowStack.place(
                                            instance,
                                            setup.shadowStackBytes(),
                                            from != null,
                                            cm.stackChecked());
                            return new long[0];
                        },
                        watchdog,
                        ticker.nanos());
        guestMayRun |= !g.guestLeft();
        locals.close();
        if (end.status() != Status.OK) {
            throw new LiveStart.Rejected(
                    new ModuleRejectedException(
                            "instantiation",
                            "the instance failed to start: " + end.message(),
                            cm.sha256()));
        }
        mediator.lifecycle(
                from == null ? LifecycleEvent.Type.INSTANCE_STARTED : LifecycleEvent.Type.RESTORED,
                LiveStart.details(policy, setup, from != null, movedStack));
        usable = true;
    }

    @Override
    public CallResult call(String export, Stdio stdio, long... args) {
        ExportFunction fn;
        synchronized (callLock) {
            checkUsable();
            try {
                fn = instance.export(export);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("no exported function " + export, e);
            }
        }
        return call(export, stdio, guest -> fn.apply(args));
    }

    @Override
    public CallResult call(Stdio stdio, Body body) {
        return call("(steps)", stdio, body);
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("instance closed");
        }
        if (!usable) {
            throw new IllegalStateException("instance not usable after an unfinished call");
        }
    }

    private CallResult call(String export, Stdio stdio, Body body) {
        synchronized (callLock) {
            checkUsable();
            Limits limits = policy.limits();
            mediator = newMediator();
            wasi.rebind(mediator);
            OutputBudget budget = new OutputBudget(limits.maxOutputBytes(), mediator);
            out.target(budget.stream(stdio.stdout(), false));
            err.target(budget.stream(stdio.stderr(), true));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("export", export);
            if (setup.sessionId() != null) {
                d.put("session", setup.sessionId());
            }
            mediator.lifecycle(LifecycleEvent.Type.CALL_STARTED, d);
            GuardedCall g = new GuardedCall(mediator, limits, this::memoryBytes);
            locals = new RunLocals();
            running = g;
            long start = ticker.nanos();
            Traps.End end;
            try {
                Access access = new Access(instance, tools);
                end = g.run(() -> body.run(access), watchdog, start);
            } finally {
                guestMayRun |= !g.guestLeft();
                running = null;
                locals.close();
                try {
                    stdio.stdout().flush();
                    stdio.stderr().flush();
                } catch (IOException ignored) {
                    // the caller's streams are the caller's business
                }
                out.target(OutputStream.nullOutputStream());
                err.target(OutputStream.nullOutputStream());
            }
            if (fuel != null && fuel.getValue() < 0) {
                // the guest's own check trapped (or the host stopped it): fuel ran out first
                end =
                        Traps.End.limit(
                                LimitKind.FUEL,
                                Mediator.fuelMessage(policy.limits().fuel().orElse(0)));
            }
            if (end.status() != Status.OK) {
                usable = false;
            }
            long wall = (ticker.nanos() - start) / 1_000_000;
            Outcome o = Outcomes.finish(mediator, end, wall, budget, memoryBytes(), cm.sha256());
            return new CallResult(o, end.status() == Status.OK ? g.results() : null);
        }
    }

    @Override
    public boolean isUsable() {
        synchronized (callLock) {
            return usable && !closed;
        }
    }

    @Override
    public void interrupt() {
        GuardedCall g = running;
        if (g != null) {
            g.stop(LimitKind.INTERRUPTED, "limit exceeded: interrupted (stopped on request)");
        }
    }

    @Override
    public byte[] read(int address, int length) {
        return memory().readBytes(address, length);
    }

    @Override
    public void write(int address, byte[] bytes) {
        memory().writeBytes(address, bytes, 0, bytes.length);
    }

    private GuestMemory memory() {
        Instance i = instance;
        if (i == null || closed) {
            throw new IllegalStateException("instance closed");
        }
        return ChicoryGuestMemory.of(i);
    }

    @Override
    public long memoryBytes() {
        return ChicoryGuestMemory.of(instance).size();
    }

    @Override
    public Snapshot snapshot() {
        synchronized (callLock) {
            if (closed || instance == null) {
                throw new IllegalStateException("instance closed");
            }
            try {
                Snapshot snap = Snapshots.capture(cm.sha256(), instance, files.capture());
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("memoryBytes", snap.memoryBytes());
                d.put("files", snap.files().size());
                mediator.lifecycle(LifecycleEvent.Type.SNAPSHOT, d);
                return snap;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void writeFile(String guestPath, byte[] content) throws IOException {
        synchronized (callLock) {
            files.write(guestPath, content);
        }
    }

    @Override
    public byte[] readFile(String guestPath) throws IOException {
        synchronized (callLock) {
            return files.read(guestPath);
        }
    }

    @Override
    public List<String> listFiles(String guestFolder) throws IOException {
        synchronized (callLock) {
            return files.list(guestFolder);
        }
    }

    @Override
    public void copyBack() throws IOException {
        synchronized (callLock) {
            vfs.copyBack();
        }
    }

    @Override
    public String moduleSha256() {
        return cm.sha256();
    }

    @Override
    public void close() {
        interrupt();
        synchronized (callLock) {
            if (!closed) {
                closed = true;
                if (!guestMayRun) {
                    Snapshots.release(instance); // its flat array for another memory
                }
                instance = null;
                locals.close();
                vfs.close();
                stdin.close();
            }
        }
    }
}
