package dev.airlock.core;

/**
 * What a {@link LinkedImport} may do with the instance that called it: read and write its linear
 * memory, call its exports, and call host tools through the tool bridge. Valid only during the call
 * that received it, on that call's thread.
 */
public interface GuestAccess {
    /**
     * Copies {@code length} bytes of guest memory.
     *
     * @throws GuestMemoryException if the range is outside the memory
     */
    byte[] read(int address, int length);

    /**
     * Copies bytes into guest memory.
     *
     * @throws GuestMemoryException if the range is outside the memory
     */
    void write(int address, byte[] bytes);

    /** Reads a little-endian 32-bit value; see {@link #read}. */
    int readInt(int address);

    /** Writes a little-endian 32-bit value; see {@link #write}. */
    void writeInt(int address, int value);

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
}
