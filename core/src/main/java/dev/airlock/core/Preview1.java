package dev.airlock.core;

/**
 * WASI preview 1 of the instance that called a {@link LinkedImport}, for host functions that give a
 * guest another system interface (such as WASI 0.2 for a component) over the same one: each call
 * passes the mediation point exactly as the guest's own preview 1 call would (the policy's rules,
 * the fuel and output budgets, the audit trail) and sees the same files, descriptors, clock and
 * randomness. The functions' pointer arguments address a scratch memory, not the guest's: the host
 * function copies data between the two. Valid only during the call that received it, on that call's
 * thread.
 */
public interface Preview1 {
    /** The largest scratch memory: 16 MiB. */
    long MAX_SCRATCH = 16L << 20;

    /**
     * Calls a preview 1 function by name ({@code fd_write}, {@code path_open}, ...).
     *
     * @return its result: the WASI errno, 0 for success
     * @throws IllegalArgumentException if there is no such function
     * @throws RuntimeException as the guest's own call would end the run (a limit, {@code
     *     proc_exit})
     */
    int call(String function, long... args);

    /**
     * The scratch memory, grown to at least {@code bytes}; what it held is kept.
     *
     * @throws IllegalArgumentException if more than {@link #MAX_SCRATCH} bytes are asked for
     */
    GuestMemory scratch(long bytes);
}
