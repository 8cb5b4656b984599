package dev.airlock.server.observe;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A request's place in a W3C trace ({@code traceparent}: {@code 00-TRACEID-SPANID-FLAGS}): the
 * trace it belongs to and the span the server answers it in. A well-formed incoming {@code
 * traceparent} gives the trace id and flags; a missing or malformed one (wrong length, upper-case
 * or non-hex digits, all-zero ids, version {@code ff}) is ignored and a new trace started, as the
 * W3C recommendation asks.
 *
 * @param traceId 32 lower-case hex digits, not all zero
 * @param spanId this server's span: 16 lower-case hex digits, not all zero
 * @param flags the trace flags, 2 hex digits
 */
public record TraceContext(String traceId, String spanId, String flags) {
    private static final Pattern HEADER =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern FLAGS = Pattern.compile("[0-9a-f]{2}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public TraceContext {
        if (traceId == null || !TRACE_ID.matcher(traceId).matches() || zero(traceId)) {
            throw new IllegalArgumentException("trace id: 32 lower-case hex digits, not all zero");
        }
        if (spanId == null || !SPAN_ID.matcher(spanId).matches() || zero(spanId)) {
            throw new IllegalArgumentException("span id: 16 lower-case hex digits, not all zero");
        }
        if (flags == null || !FLAGS.matcher(flags).matches()) {
            throw new IllegalArgumentException("flags: 2 lower-case hex digits");
        }
    }

    /**
     * The trace of an incoming {@code traceparent} header, if it is well-formed: version 00 with
     * exactly four parts, or a later version (not {@code ff}) with possibly more.
     */
    public static Optional<String[]> parse(String header) {
        if (header == null || header.length() > 512) {
            return Optional.empty();
        }
        var m = HEADER.matcher(header.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String version = m.group(1);
        if (version.equals("ff") || (version.equals("00") && m.group(5) != null)) {
            return Optional.empty();
        }
        if (zero(m.group(2)) || zero(m.group(3))) {
            return Optional.empty();
        }
        return Optional.of(new String[] {m.group(2), m.group(3), m.group(4)});
    }

    /**
     * The server's span for a request: in the incoming header's trace if it is well-formed (keeping
     * its flags), else in a new trace (not sampled).
     */
    public static TraceContext continueOrStart(String header) {
        Optional<String[]> parent = parse(header);
        if (parent.isPresent()) {
            String[] p = parent.get();
            return new TraceContext(p[0], newId(8), p[2]);
        }
        return new TraceContext(newId(16), newId(8), "00");
    }

    /** The context of an OpenTelemetry span: its trace, its own span id and its flags. */
    public static TraceContext of(io.opentelemetry.api.trace.SpanContext span) {
        return new TraceContext(span.getTraceId(), span.getSpanId(), span.getTraceFlags().asHex());
    }

    /** Whether the incoming header was taken (its trace continued). */
    public static boolean isValid(String header) {
        return parse(header).isPresent();
    }

    /** The {@code traceparent} header naming this span. */
    public String header() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }

    private static String newId(int bytes) {
        byte[] b = new byte[bytes];
        do {
            RANDOM.nextBytes(b);
        } while (zero(HexFormat.of().formatHex(b)));
        return HexFormat.of().formatHex(b);
    }

    private static boolean zero(String hex) {
        return hex.chars().allMatch(c -> c == '0');
    }
}
