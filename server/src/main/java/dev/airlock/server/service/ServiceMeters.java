package dev.airlock.server.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The service's meters, each with help text (and base unit where it has one: counts have none, so
 * their Prometheus names stay as they were) for the Prometheus exposition.
 */
final class ServiceMeters {
    private final MeterRegistry meters;

    ServiceMeters(MeterRegistry meters, Sessions sessions, Workers workers, MemoryBudget memory) {
        this.meters = meters;
        Gauge.builder("airlock.sessions.open", sessions, Sessions::size)
                .description("Sessions open now, over all tenants")
                .register(meters);
        Gauge.builder("airlock.executions.queued", workers, Workers::queued)
                .description("Executions waiting for a worker")
                .register(meters);
        Gauge.builder("airlock.executions.active", workers, Workers::busy)
                .description("Executions running on a worker now")
                .register(meters);
        Gauge.builder("airlock.memory.reserved", memory, MemoryBudget::used)
                .description(
                        "Memory reserved by running executions and open sessions against the"
                                + " server's memory budget")
                .baseUnit("bytes")
                .register(meters);
    }

    /** Starts timing an execution. */
    Timer.Sample start() {
        return Timer.start(meters);
    }

    /** Counts a finished execution (or skill call) and its time, by language and status. */
    void executed(Timer.Sample t, String language, String status) {
        t.stop(
                Timer.builder("airlock.executions")
                        .description(
                                "Executions and skill calls finished, with their time on a worker,"
                                        + " by language and outcome status")
                        .tags("language", language, "status", status)
                        .register(meters));
    }
}
