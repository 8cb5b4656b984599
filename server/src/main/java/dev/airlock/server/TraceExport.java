package dev.airlock.server;

import dev.airlock.core.time.Ticker;
import dev.airlock.server.observe.Tracing;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a server's trace spans go ({@link ServerConfig.Builder#otlpEndpoint}, {@link
 * ServerConfig.Builder#traceExporter}): the target named for it and how to make its exporter.
 *
 * @param target the OTLP address, or {@code custom exporter}
 * @param exporters makes the exporter, once per {@link #open}
 */
record TraceExport(String target, Supplier<SpanExporter> exporters) {
    /**
     * Spans as OTLP over HTTP to a collector's base address, to which {@code /v1/traces} is added,
     * or to the full address ending in {@code /v1/traces}.
     *
     * @throws IllegalArgumentException if the address is not an absolute http or https URI with a
     *     host, or carries user information, a query or a fragment
     */
    static TraceExport otlp(URI endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        String scheme = endpoint.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || endpoint.getHost() == null
                || endpoint.getRawUserInfo() != null
                || endpoint.getRawQuery() != null
                || endpoint.getRawFragment() != null) {
            throw new IllegalArgumentException(
                    "OTLP endpoint: an http or https address with a host and no user,"
                            + " query or fragment, such as http://127.0.0.1:4318");
        }
        String base = endpoint.toString();
        String target =
                base.endsWith("/v1/traces") ? base : base.replaceAll("/+$", "") + "/v1/traces";
        return new TraceExport(
                target, () -> OtlpHttpSpanExporter.builder().setEndpoint(target).build());
    }

    /** Spans to an exporter of the embedder's. */
    static TraceExport custom(SpanExporter exporter) {
        Objects.requireNonNull(exporter, "exporter");
        return new TraceExport("custom exporter", () -> exporter);
    }

    /**
     * Tracing to a new exporter as service {@code airlock} on {@code node}, or {@link
     * Tracing#off()} when no exporter comes.
     */
    Tracing open(String node, Clock clock, Ticker ticker) {
        SpanExporter exporter = exporters.get();
        return exporter == null
                ? Tracing.off()
                : Tracing.to(exporter, "airlock", node, clock, ticker);
    }
}
