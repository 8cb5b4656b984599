package dev.airlock.core.engine;

import dev.airlock.core.InstanceSetup;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Policy;
import dev.airlock.core.Snapshot;
import dev.airlock.core.engine.module.Compilation;
import dev.airlock.core.engine.module.LoadedModule;
import dev.airlock.core.engine.run.Watchdog;
import dev.airlock.core.time.Ticker;
import java.time.Clock;

/** Makes long-lived instances that share one watchdog. Thread-safe. */
public final class InstanceMaker {
    private final Ticker ticker;
    private final Clock clock;
    private final Watchdog watchdog;

    public InstanceMaker(Ticker ticker, Clock clock) {
        this.ticker = ticker;
        this.clock = clock;
        this.watchdog = new Watchdog(ticker);
    }

    /**
     * Makes an instance of {@code module}. One the policy refuses for the module's sections (an
     * import neither the policy nor the setup provides, a linked import of another signature,
     * memory or a table above the limits) or for a snapshot of another module is refused from them,
     * the refusal recorded, before {@code compile} is asked for what the instance runs.
     *
     * @param from a snapshot to restore, or {@code null} for a fresh instance
     * @throws ModuleRejectedException if the instance cannot be made
     */
    public LiveInstance create(
            LoadedModule module,
            Compilation compile,
            Policy policy,
            InstanceSetup setup,
            Snapshot from)
            throws ModuleRejectedException {
        LiveStart.admit(module.sections(), module.sha256(), policy, setup, ticker, clock, from);
        return LiveInstance.create(compile.get(), policy, setup, ticker, clock, watchdog, from);
    }
}
