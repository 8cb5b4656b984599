package dev.airlock.core;

/**
 * What a {@link LinkedImport} may do with the instance that called it: read and write its linear
 * memory (the {@link GuestMemory} every host function gets, bounds-checked, throwing {@link
 * GuestMemoryException} outside it), call its exports, and call host tools through the tool bridge.
 * Valid only during the call that received it, on that call's thread.
 */
public interface GuestAccess extends GuestMemory {
    /**
     * Calls an export of the guest re-entrantly, such as its allocator.
     *
     * @throws IllegalArgumentException if there is no such exported function
     */
    long[] callExport(String name, long... args);

    /**
     * Calls a host tool through the mediation point: the policy decides (rule {@code
     * tool.not-granted}), the call is counted, timed and audited.
     *
     * @return a JSON envelope, {@code {"ok":true,"result":...}} or {@code
     *     {"ok":false,"error":"..."}}
     */
    String callTool(String name, String argumentsJson);

    /**
     * The longest request {@link #callTool} takes: {@link Tool#MAX_REQUEST_BYTES}, or more for a
     * network request ({@code net:request}) when the policy's request byte limit allows a larger
     * body.
     */
    default int maxToolRequestBytes() {
        return Tool.MAX_REQUEST_BYTES;
    }

    /**
     * WASI preview 1 of this instance, over a scratch memory.
     *
     * @throws UnsupportedOperationException where the instance has none
     */
    default Preview1 preview1() {
        throw new UnsupportedOperationException("no WASI preview 1 here");
    }
}
