package dev.airlock.server.observe;

import dev.airlock.core.time.Ticker;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The server's OpenTelemetry tracing, off unless an exporter is given ({@code airlock serve
 * --otlp-endpoint}): spans go through a batching processor to the exporter, sampled as the caller
 * asked (a request whose {@code traceparent} says "not sampled" is not recorded; one without a
 * {@code traceparent} is). Times come from the server's injected clock and ticker, so that the
 * request spans and the runs' spans (timed by the service's clock) agree. Closing flushes what is
 * pending (waiting up to 5 seconds) and shuts the exporter down.
 */
public final class Tracing implements AutoCloseable {
    /** The instrumentation scope of the server's spans. */
    public static final String SCOPE = "dev.airlock.server";

    private static final Tracing OFF = new Tracing(null);

    private final SdkTracerProvider provider;

    private Tracing(SdkTracerProvider provider) {
        this.provider = provider;
    }

    /** No tracing: no spans, no exporter. */
    public static Tracing off() {
        return OFF;
    }

    /**
     * Tracing to {@code exporter}.
     *
     * @param serviceName the {@code service.name} of the spans' resource
     * @param instanceId the {@code service.instance.id} (the node id), or null
     */
    public static Tracing to(
            SpanExporter exporter,
            String serviceName,
            String instanceId,
            Clock clock,
            Ticker ticker) {
        java.util.Objects.requireNonNull(exporter, "exporter");
        Attributes resource =
                instanceId == null
                        ? Attributes.of(AttributeKey.stringKey("service.name"), serviceName)
                        : Attributes.of(
                                AttributeKey.stringKey("service.name"),
                                serviceName,
                                AttributeKey.stringKey("service.instance.id"),
                                instanceId);
        SdkTracerProvider provider =
                SdkTracerProvider.builder()
                        .setClock(new InjectedClock(clock, ticker))
                        .setResource(Resource.create(resource))
                        .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
                        .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                        .build();
        return new Tracing(provider);
    }

    /** Whether spans are made. */
    public boolean enabled() {
        return provider != null;
    }

    /** The tracer of the server's spans; null when off. */
    public Tracer tracer() {
        return provider == null ? null : provider.get(SCOPE);
    }

    /** Exports what is pending, waiting up to 5 seconds. */
    public void flush() {
        if (provider != null) {
            provider.forceFlush().join(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        if (provider != null) {
            provider.shutdown().join(5, TimeUnit.SECONDS);
        }
    }

    /** The SDK's clock over the server's: wall time from {@code clock}, durations from ticks. */
    private record InjectedClock(Clock clock, Ticker ticker)
            implements io.opentelemetry.sdk.common.Clock {
        @Override
        public long now() {
            Instant i = clock.instant();
            return TimeUnit.SECONDS.toNanos(i.getEpochSecond()) + i.getNano();
        }

        @Override
        public long nanoTime() {
            return ticker.nanos();
        }
    }
}
