package dev.airlock.server.service;

import dev.airlock.core.Outcome;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The trace spans of runs, when the server traces ({@code tracer} not null): one {@code
 * airlock.run} span per recorded run, a child of the request that made it ({@link Origins}), with
 * the run's id, tenant, session, outcome and usage, and under it one span per batch of host calls
 * ({@link HostCallBatches}). The spans carry the run's own times, taken from the service's clock.
 */
final class RunTraces {
    static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("airlock.run.id");
    static final AttributeKey<String> TENANT = AttributeKey.stringKey("airlock.tenant");
    static final AttributeKey<String> SESSION = AttributeKey.stringKey("airlock.session.id");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("airlock.outcome.status");
    static final AttributeKey<String> KIND = AttributeKey.stringKey("airlock.outcome.kind");
    static final AttributeKey<Long> EXIT = AttributeKey.longKey("airlock.outcome.exit_code");
    static final AttributeKey<Long> HOST_CALLS = AttributeKey.longKey("airlock.host_calls");
    static final AttributeKey<Long> FUEL = AttributeKey.longKey("airlock.fuel");
    static final AttributeKey<Long> MEMORY = AttributeKey.longKey("airlock.memory.peak_bytes");
    static final AttributeKey<Long> UNBATCHED =
            AttributeKey.longKey("airlock.host_calls.not_in_batches");
    static final AttributeKey<String> CALL = AttributeKey.stringKey("airlock.host_call.name");
    static final AttributeKey<Long> CALLS = AttributeKey.longKey("airlock.host_call.count");
    static final AttributeKey<Long> DENIED = AttributeKey.longKey("airlock.host_call.denied");
    static final AttributeKey<Long> HOST_NANOS = AttributeKey.longKey("airlock.host_call.host_ns");

    private final Tracer tracer;

    /**
     * @param tracer where spans go; null: runs are not traced
     */
    RunTraces(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Whether runs are traced (and their host calls worth batching). */
    boolean on() {
        return tracer != null;
    }

    /** Ends the span of a recorded run, with its batches of host calls (null: none). */
    void run(
            String runId,
            Outcome outcome,
            Instant started,
            Instant ended,
            String tenant,
            String session,
            HostCallBatches calls) {
        if (tracer == null) {
            return;
        }
        Context parent = Origins.trace();
        Span run =
                tracer.spanBuilder("airlock.run")
                        .setParent(parent)
                        .setSpanKind(SpanKind.INTERNAL)
                        .setStartTimestamp(started)
                        .setAttribute(RUN_ID, runId)
                        .startSpan();
        if (tenant != null) {
            run.setAttribute(TENANT, tenant);
        }
        if (session != null) {
            run.setAttribute(SESSION, session);
        }
        run.setAttribute(STATUS, outcome.status().name().toLowerCase(java.util.Locale.ROOT));
        if (outcome.kind() != null) {
            run.setAttribute(KIND, outcome.kind());
        }
        if (outcome.exitCode() != null) {
            run.setAttribute(EXIT, (long) outcome.exitCode());
        }
        run.setAttribute(HOST_CALLS, outcome.usage().hostCalls());
        run.setAttribute(MEMORY, outcome.usage().memoryPeakBytes());
        if (outcome.usage().fuel() >= 0) {
            run.setAttribute(FUEL, outcome.usage().fuel());
        }
        if (!outcome.isOk()) {
            run.setStatus(StatusCode.ERROR, outcome.message());
        }
        if (calls != null) {
            Context inRun = parent.with(run);
            for (HostCallBatches.Batch b : calls.batches()) {
                long start = TimeUnit.MILLISECONDS.toNanos(b.startMillis());
                tracer.spanBuilder("airlock.host_calls " + b.call())
                        .setParent(inRun)
                        .setSpanKind(SpanKind.INTERNAL)
                        .setStartTimestamp(start, TimeUnit.NANOSECONDS)
                        .setAttribute(CALL, b.call())
                        .setAttribute(CALLS, b.calls())
                        .setAttribute(DENIED, b.denied())
                        .setAttribute(HOST_NANOS, b.hostNanos())
                        .startSpan()
                        .end(start + b.endNanos(), TimeUnit.NANOSECONDS);
            }
            if (calls.dropped() > 0) {
                run.setAttribute(UNBATCHED, calls.dropped());
            }
        }
        run.end(ended);
    }
}
