package dev.airlock.core;

/**
 * A host tool that guest code may call by name with JSON arguments and a JSON result, such as
 * {@code airlock.call("search", {"q": "wasm"})} from Python or JavaScript. Granted by name on the
 * {@link Policy}; every call passes the mediation point (policy check, budget, audit event).
 *
 * <p>A tool runs on the guest's thread and its time counts against the run's timeout. It must treat
 * its input as hostile: it is whatever the guest wrote, at most {@link #MAX_REQUEST_BYTES}.
 */
@FunctionalInterface
public interface Tool {
    /** The largest request (tool name and JSON arguments) a guest may send: 1 MiB. */
    int MAX_REQUEST_BYTES = 1 << 20;

    /** The largest result a tool may return to the guest: 4 MiB. */
    int MAX_RESULT_BYTES = 4 << 20;

    /**
     * @param argumentsJson the guest's arguments, a JSON value (an object by convention)
     * @return the result as a JSON value
     * @throws Exception any failure; the guest sees a tool error carrying its message
     */
    String call(String argumentsJson) throws Exception;
}
