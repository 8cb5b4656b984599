package dev.airlock.core.mediation;

import dev.airlock.core.Denial;
import dev.airlock.core.LimitKind;
import dev.airlock.core.event.Decision;
import dev.airlock.core.event.EventSink;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.event.LifecycleEvent;
import dev.airlock.core.time.Ticker;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one point every guest-to-host call passes: it asks the policy, charges the run's budgets,
 * times the call and emits one {@link HostCallEvent}. One mediator serves one run; its counters are
 * written only by the guest's thread, while {@link #requestStop} may come from any thread.
 */
public final class Mediator {
    /** The host side of a call; returns the WASI errno or value. */
    @FunctionalInterface
    public interface Action {
        long run();
    }

    private static final int MAX_DENIALS = 100;

    private final String runId;
    private final String sessionId;
    private final String moduleSha256;
    private final EventSink sink;
    private final Clock clock;
    private final Ticker ticker;
    private final Function<String, Function<String, Verdict>> rulesByModule;
    private final List<Denial> denials = new ArrayList<>();

    private long seq;
    private long hostCalls;
    private long hostNanos;

    // the counted host call whose event is not delivered yet: set by plain field stores as the
    // call is counted, cleared once its event is delivered, so that a stack overflow on the
    // guest's thread cannot leave a counted call without its event (see reportUnfinishedCall)
    private String openCall;
    private Map<String, Object> openArgs;
    private Verdict openVerdict;
    private HostCallEvent openEvent;
    private volatile LimitKind stopKind;
    private volatile String stopMessage;

    // fuel of a metered run: the guest's counter, the budget and the prices of host calls
    private FuelCounter fuel;
    private long fuelBudget;
    private long fuelPerCall;
    private long fuelPerKiB;

    // call names ("module.function") of recent calls, so that a call does not build its name
    private final String[] nameModules = new String[NAME_CACHE];
    private final String[] nameFunctions = new String[NAME_CACHE];
    private final String[] names = new String[NAME_CACHE];
    private static final int NAME_CACHE = 64;

    /**
     * A mediator for a run outside sessions.
     *
     * @param rulesByModule for an import module name, the rules of its functions (null: deny all)
     */
    public Mediator(
            String runId,
            String moduleSha256,
            EventSink sink,
            Clock clock,
            Ticker ticker,
            Function<String, Function<String, Verdict>> rulesByModule) {
        this(runId, null, moduleSha256, sink, clock, ticker, rulesByModule);
    }

    /**
     * @param sessionId the session the run belongs to, carried by every event; {@code null} for
     *     none
     * @param rulesByModule for an import module name, the rules of its functions (null: deny all)
     */
    public Mediator(
            String runId,
            String sessionId,
            String moduleSha256,
            EventSink sink,
            Clock clock,
            Ticker ticker,
            Function<String, Function<String, Verdict>> rulesByModule) {
        this.runId = runId;
        this.sessionId = sessionId;
        this.moduleSha256 = moduleSha256;
        this.sink = sink;
        this.clock = clock;
        this.ticker = ticker;
        this.rulesByModule = rulesByModule;
    }

    /**
     * Mediates one host call.
     *
     * @param module the import module, such as {@code wasi_snapshot_preview1}
     * @param function the function name
     * @param args a small summary of the arguments, for the event
     * @param action the host side, run only if the policy allows it (or grants it empty)
     * @return the action's result, or the denial's errno
     * @throws RunStoppedException if the run has been stopped or the action hits a limit
     */
    public long call(String module, String function, Map<String, Object> args, Action action) {
        return call(module, function, args, null, action);
    }

    /**
     * Mediates one host call with an extra verdict that only the caller can compute (such as a
     * read-only mount); the stricter of it and the policy's rules applies.
     */
    public long call(
            String module,
            String function,
            Map<String, Object> args,
            Verdict extra,
            Action action) {
        checkNotStopped();
        if (fuel != null) {
            chargeFuel(fuelPerCall);
        }
        Function<String, Verdict> rules = rulesByModule.apply(module);
        Verdict verdict =
                rules == null
                        ? Verdict.deny("import.unknown", Rules.ENOTCAPABLE, "no such host module")
                        : rules.apply(function);
        if (verdict.allowed() && extra != null && !extra.allowed()) {
            verdict = extra;
        }
        String name = name(module, function);
        hostCalls++;
        openCall = name;
        openArgs = args;
        openVerdict = verdict;
        openEvent = null;
        long startMillis = clock.millis();
        if (!verdict.allowed()) {
            recordDenial(name, verdict);
            if (!verdict.runsAction()) {
                emit(name, args, verdict, startMillis, (long) verdict.errno(), 0);
                return verdict.errno();
            }
        }
        long start = ticker.nanos();
        Long result = null;
        try {
            long r = action.run();
            result = r;
            return r;
        } finally {
            long took = ticker.nanos() - start;
            hostNanos += took;
            emit(name, args, verdict, startMillis, result, took);
        }
    }

    /**
     * Meters this run: every host call is charged {@code perCall} fuel before it runs (a call that
     * cannot pay is not made, and the run ends as a {@link LimitKind#FUEL} limit), plus {@code
     * perKiB} per KiB of data copied, as reported by {@link #chargeCopied}.
     */
    public void meterFuel(FuelCounter counter, long budget, long perCall, long perKiB) {
        this.fuel = counter;
        this.fuelBudget = budget;
        this.fuelPerCall = perCall;
        this.fuelPerKiB = perKiB;
    }

    /**
     * Charges a metered run for {@code bytes} copied between guest memory and the host by the call
     * under way: {@code bytes * perKiB / 1024}, rounded down. Does nothing in an unmetered run.
     *
     * @throws RunStoppedException if the fuel runs out
     */
    public void chargeCopied(long bytes) {
        if (fuel != null && bytes > 0 && fuelPerKiB > 0) {
            long cost =
                    bytes > Long.MAX_VALUE / fuelPerKiB
                            ? Long.MAX_VALUE
                            : bytes * fuelPerKiB >>> 10;
            chargeFuel(cost);
        }
    }

    private void chargeFuel(long amount) {
        long left = fuel.remaining();
        long after = left < amount ? -1 : left - amount;
        if (after < 0) {
            fuel.remaining(-1);
            throw stopNow(LimitKind.FUEL, fuelMessage(fuelBudget));
        }
        fuel.remaining(after);
    }

    /** The message of a run that ran out of fuel. */
    public static String fuelMessage(long budget) {
        return "limit exceeded: fuel (" + budget + ")";
    }

    /**
     * Fuel used so far (the whole budget once it ran out), or -1 if the run is not metered. Call it
     * on the guest's thread, or once it is done.
     */
    public long fuelUsed() {
        if (fuel == null) {
            return -1;
        }
        long left = fuel.remaining();
        return left < 0 ? fuelBudget : fuelBudget - left;
    }

    /**
     * Delivers the event of a host call that a {@link StackOverflowError} on the guest's thread cut
     * short, so that every counted call has its event. Call it from the runner's thread once the
     * guest's thread is done; does nothing if every call was reported.
     */
    public void reportUnfinishedCall() {
        HostCallEvent e = openEvent;
        if (e != null) {
            openCall = null;
            openEvent = null;
            sink.accept(e);
        } else if (openCall != null) {
            emit(openCall, openArgs, openVerdict, clock.millis(), null, 0);
        }
    }

    /** Emits a lifecycle event. */
    public void lifecycle(LifecycleEvent.Type type, Map<String, Object> details) {
        sink.accept(
                new LifecycleEvent(
                        ++seq, clock.millis(), runId, sessionId, moduleSha256, type, details));
    }

    /**
     * Stops the run at a limit from any thread; the first stop wins. The caller must also wake the
     * guest (the runner interrupts its thread).
     */
    public synchronized void requestStop(LimitKind kind, String message) {
        if (stopKind == null) {
            stopMessage = message;
            stopKind = kind;
        }
    }

    /**
     * Stops the run from the guest's own thread.
     *
     * @throws RunStoppedException always
     */
    public RunStoppedException stopNow(LimitKind kind, String message) {
        requestStop(kind, message);
        throw new RunStoppedException(stopKind, stopMessage);
    }

    /** Throws if a stop was requested. */
    public void checkNotStopped() {
        LimitKind k = stopKind;
        if (k != null) {
            throw new RunStoppedException(k, stopMessage);
        }
    }

    /** The limit that stopped the run, or {@code null}. */
    public LimitKind stopKind() {
        return stopKind;
    }

    public String stopMessage() {
        return stopMessage;
    }

    public long hostCalls() {
        return hostCalls;
    }

    public long hostNanos() {
        return hostNanos;
    }

    public List<Denial> denials() {
        return List.copyOf(denials);
    }

    public String runId() {
        return runId;
    }

    /** The session of the run, or {@code null}. */
    public String sessionId() {
        return sessionId;
    }

    /** {@code module.function}, from the cache when the same strings were seen recently. */
    private String name(String module, String function) {
        int slot = function.hashCode() & (NAME_CACHE - 1);
        if (nameFunctions[slot] == function && nameModules[slot] == module) {
            return names[slot];
        }
        String name = module + "." + function;
        nameModules[slot] = module;
        nameFunctions[slot] = function;
        names[slot] = name;
        return name;
    }

    private void recordDenial(String name, Verdict v) {
        if (denials.size() < MAX_DENIALS) {
            denials.add(new Denial(name, v.rule(), v.detail()));
        }
    }

    private void emit(
            String name,
            Map<String, Object> args,
            Verdict v,
            long startMillis,
            Long result,
            long nanos) {
        Decision decision = v.allowed() ? Decision.ALLOW : Decision.DENY;
        String rule = v.rule();
        HostCallEvent e =
                new HostCallEvent(
                        seq + 1,
                        startMillis,
                        runId,
                        sessionId,
                        moduleSha256,
                        name,
                        args,
                        decision,
                        rule,
                        result,
                        nanos);
        // from here on the event exists with its number; if the sink overflows the stack, the
        // runner delivers this same event again
        seq++;
        openEvent = e;
        sink.accept(e);
        openCall = null;
        openEvent = null;
    }
}
