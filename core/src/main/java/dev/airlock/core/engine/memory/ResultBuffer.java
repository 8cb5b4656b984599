package dev.airlock.core.engine.memory;

import com.dylibso.chicory.runtime.Memory;

/**
 * Where the pieces of a split function put the values they return (see {@code PieceReturns} in the
 * module package): one array per copy-on-write memory, that is per instance, reused by every such
 * return instead of a new array each time. The caller of a piece reads the values right after the
 * piece returns, before any other guest code runs, and an instance runs on one thread at a time, so
 * one array per instance is enough. Generated code calls {@link #of}; nothing else should.
 */
public final class ResultBuffer {
    private ResultBuffer() {}

    /**
     * An array of at least {@code n} values to return: the memory's own if it is a {@link
     * CowMemory}, else a new one (a shared memory, which several threads may use at once, or none).
     */
    public static long[] of(Memory memory, int n) {
        return memory instanceof CowMemory ? ((CowMemory) memory).results(n) : new long[n];
    }
}
