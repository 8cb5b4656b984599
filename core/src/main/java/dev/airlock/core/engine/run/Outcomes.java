package dev.airlock.core.engine.run;

import dev.airlock.core.Outcome;
import dev.airlock.core.Status;
import dev.airlock.core.Usage;
import dev.airlock.core.event.LifecycleEvent;
import dev.airlock.core.mediation.Mediator;
import dev.airlock.core.mediation.OutputBudget;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns the end of a run into its {@link Outcome}, emitting the limit and outcome events. */
public final class Outcomes {
    private Outcomes() {}

    public static Outcome finish(
            Mediator mediator,
            Traps.End end,
            long wallMillis,
            OutputBudget budget,
            long memoryBytes,
            String sha256) {
        if (end.status() == Status.LIMIT) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("kind", end.kind());
            d.put("message", end.message());
            mediator.lifecycle(LifecycleEvent.Type.LIMIT_HIT, d);
        }
        Usage usage =
                new Usage(
                        wallMillis,
                        memoryBytes,
                        budget == null ? 0 : budget.stdoutBytes(),
                        budget == null ? 0 : budget.stderrBytes(),
                        mediator.hostCalls(),
                        mediator.fuelUsed());
        Outcome o =
                new Outcome(
                        end.status(),
                        end.exitCode(),
                        end.kind(),
                        end.message(),
                        usage,
                        mediator.denials(),
                        sha256);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("status", o.status().id());
        if (o.kind() != null) {
            d.put("kind", o.kind());
        }
        if (o.exitCode() != null) {
            d.put("exitCode", o.exitCode());
        }
        d.put("wallMillis", wallMillis);
        d.put("hostCalls", usage.hostCalls());
        if (usage.metered()) {
            d.put("fuel", usage.fuel());
        }
        mediator.lifecycle(LifecycleEvent.Type.OUTCOME, d);
        return o;
    }

    /**
     * A module refused before it ran: sends {@code MODULE_REJECTED} (reason, problem) and {@code
     * OUTCOME} (status {@code rejected}) through the mediator, so that the refusal is in the audit
     * trail, and returns the outcome.
     */
    public static Outcome rejected(
            Mediator mediator, String reason, String problem, String sha256) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("reason", reason);
        r.put("problem", problem);
        mediator.lifecycle(LifecycleEvent.Type.MODULE_REJECTED, r);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("status", Status.REJECTED.id());
        d.put("kind", reason);
        mediator.lifecycle(LifecycleEvent.Type.OUTCOME, d);
        return Outcome.rejected(reason, problem, sha256);
    }
}
