package dev.airlock.core;

import java.io.IOException;
import java.util.List;

/**
 * A long-lived instance of a module (a library or reactor, or an interpreter), called export by
 * export under its {@link Policy}: every call is one run with its own outcome, usage and events,
 * under the policy's limits (timeout, output, stack; memory over the instance's life). Made by
 * {@link Airlock#instantiate} or {@link Airlock#restore}. Not thread-safe, except {@link
 * #interrupt()}, which any thread may call.
 *
 * <p>After a call that did not end {@link Status#OK} (a trap, a limit, an exit) the instance's
 * state may be half-updated, so it is no longer {@linkplain #isUsable() usable}: restore a snapshot
 * instead.
 */
public interface GuestInstance extends AutoCloseable {
    /**
     * Calls an exported function with output going to {@code stdio}. Never throws for anything the
     * guest does.
     *
     * @throws IllegalStateException if the instance is closed or not usable
     */
    CallResult call(String export, Stdio stdio, long... args);

    /**
     * Runs several steps against the instance as one call (one run: one outcome, one timeout, one
     * output budget): {@code body} gets {@link GuestAccess} to call exports and move data, on the
     * guest's thread. What {@code body} returns becomes the call's results.
     *
     * @throws IllegalStateException if the instance is closed or not usable
     */
    CallResult call(Stdio stdio, Body body);

    /** Steps run as one call; see {@link #call(Stdio, Body)}. */
    @FunctionalInterface
    interface Body {
        /**
         * @return the call's results
         */
        long[] run(GuestAccess guest);
    }

    /** Whether the instance can take another call. */
    boolean isUsable();

    /** Stops the running call, if any; it ends as a limit of kind {@code interrupted}. */
    void interrupt();

    /**
     * Copies guest memory.
     *
     * @throws GuestMemoryException if the range is outside the memory
     */
    byte[] read(int address, int length);

    /**
     * Writes guest memory.
     *
     * @throws GuestMemoryException if the range is outside the memory
     */
    void write(int address, byte[] bytes);

    /** Bytes of linear memory now. */
    long memoryBytes();

    /**
     * Captures memory, globals, tables and the virtual filesystem. Cost: one copy of the memory.
     *
     * @throws IllegalStateException if the instance is closed or a call is running
     */
    Snapshot snapshot();

    /**
     * Writes a file into the virtual filesystem (parents are created), within its quotas.
     *
     * @throws IOException if the path is invalid or the quota would be exceeded
     */
    void writeFile(String guestPath, byte[] content) throws IOException;

    /**
     * Reads a file of the virtual filesystem.
     *
     * @throws IOException if there is no such regular file
     */
    byte[] readFile(String guestPath) throws IOException;

    /**
     * Lists the regular files under a folder of the virtual filesystem, recursively, as guest
     * paths.
     *
     * @throws IOException if there is no such folder
     */
    List<String> listFiles(String guestFolder) throws IOException;

    /**
     * Copies the policy's read-write mounts back to their host folders (never through links). Call
     * it after calls that ended by themselves; nothing is copied back otherwise.
     *
     * @throws IOException if a host folder is gone or a change cannot be written (the changes
     *     written until then stay)
     */
    void copyBack() throws IOException;

    /** The module's SHA-256. */
    String moduleSha256();

    /** Frees the instance; later calls fail. */
    @Override
    void close();
}
