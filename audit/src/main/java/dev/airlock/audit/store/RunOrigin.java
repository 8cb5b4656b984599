package dev.airlock.audit.store;

/**
 * Where a run came from: the HTTP request that made it and the W3C trace it belongs to.
 *
 * @param requestId the request's id (its {@code X-Request-Id}), or {@code null}
 * @param traceId the trace id (32 lower-case hex digits), or {@code null}
 */
public record RunOrigin(String requestId, String traceId) {
    /** A run not made through a request. */
    public static final RunOrigin NONE = new RunOrigin(null, null);

    public RunOrigin {
        if (requestId != null && (requestId.isEmpty() || requestId.length() > 200)) {
            throw new IllegalArgumentException("request id: 1 to 200 characters");
        }
        if (traceId != null && !traceId.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("trace id: 32 lower-case hex digits");
        }
    }

    /**
     * Whether this is {@link #NONE}: neither a request nor a trace. (Cheaper than {@code
     * equals(NONE)} at a process's first run: a record's generated {@code equals} is bootstrapped
     * through method handles at its first call.)
     */
    public boolean isNone() {
        return requestId == null && traceId == null;
    }
}
