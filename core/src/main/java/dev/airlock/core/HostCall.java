package dev.airlock.core;

import java.util.function.Supplier;

/**
 * What a {@link HostImport.GuestHandler} sees of one call besides its arguments: the guest's
 * memory, a summary for the call's audit event and values that live as long as the run.
 */
public interface HostCall {
    /** The calling instance's memory (size 0 when it has none). */
    GuestMemory memory();

    /**
     * Adds {@code key = value} to the summary of this call's arguments that its {@link
     * dev.airlock.core.event.HostCallEvent} carries (model names, shapes, sizes: never whole
     * buffers). Values should be strings, numbers, booleans or lists of them. Entries added by
     * {@link HostImport.GuestHandler#check} are kept for the call itself.
     */
    void summary(String key, Object value);

    /**
     * The value stored under {@code key} for this run, created by {@code create} on first use.
     * Shared by every host function of the same run, never by two runs. When the run ends, values
     * that are {@link AutoCloseable} are closed (in reverse order of creation; exceptions are
     * ignored), possibly while a host call that timed out still runs on the guest's thread.
     */
    <T> T runLocal(Object key, Supplier<T> create);
}
