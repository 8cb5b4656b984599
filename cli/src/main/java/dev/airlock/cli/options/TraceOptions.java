package dev.airlock.cli.options;

import picocli.CommandLine.Option;

/** Optional OpenTelemetry traces of {@code airlock serve} and {@code airlock mcp}. */
public final class TraceOptions {
    @Option(
            names = "--otlp-endpoint",
            paramLabel = "URL",
            description =
                    "Send OpenTelemetry traces (off by default) as OTLP over HTTP to the collector"
                            + " at URL, such as http://127.0.0.1:4318: a span per request, MCP"
                            + " tool call, run and batch of host calls, in the caller's trace"
                            + " when it sends a traceparent.")
    java.net.URI otlpEndpoint;

    /**
     * Sets the tracing these options ask for on {@code b}.
     *
     * @throws IllegalArgumentException for an unusable endpoint
     */
    public void addTo(dev.airlock.server.ServerConfig.Builder b) {
        if (otlpEndpoint != null) {
            b.otlpEndpoint(otlpEndpoint);
        }
    }
}
