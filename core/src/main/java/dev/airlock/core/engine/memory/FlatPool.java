package dev.airlock.core.engine.memory;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Flat arrays of memories that are done ({@link CowMemory#release()}) or have grown past them
 * ({@link FlatTable#growFlat}), kept for the next memory of the same size that goes flat or grows.
 * Each JavaScript run restores QuickJS's 1.6 MiB heap and goes flat at once; a fresh array per run
 * (allocated outside the thread's buffer, zeroed, and first touched by the process) cost about 4 ms
 * a run under G1, as much as the run itself, where copying the snapshot into a used array costs a
 * fraction of one.
 *
 * <p>A recycled array still holds the bytes of the guest that used it last: the memory that takes
 * it writes every byte of it before any guest code runs ({@link FlatTable#flatten}). Arrays below
 * {@link #MIN_BYTES} are not kept (a fresh one is cheap); the pool holds at most {@link
 * #MAX_ARRAYS} arrays and {@code -Dairlock.memory.flatPool=BYTES} bytes (default {@link
 * #DEFAULT_BYTES}, at most a sixteenth of the maximum heap; 0 keeps none), dropping the oldest to
 * make room. Thread-safe.
 */
final class FlatPool {
    /** The default cap on the bytes held: 64 MiB. */
    static final long DEFAULT_BYTES = 64L << 20;

    /** The smallest array kept: 512 KiB. */
    static final int MIN_BYTES = 512 << 10;

    /** The most arrays kept. */
    static final int MAX_ARRAYS = 32;

    /** The pool every memory shares. */
    static final FlatPool SHARED =
            new FlatPool(
                    Math.min(
                            Long.getLong("airlock.memory.flatPool", DEFAULT_BYTES),
                            Runtime.getRuntime().maxMemory() / 16));

    private final long capacity;
    private final ArrayDeque<byte[]> arrays = new ArrayDeque<>(); // newest first
    private long held;

    /** A pool holding at most {@code capacity} bytes (0 or less: none). */
    FlatPool(long capacity) {
        this.capacity = Math.max(0, capacity);
    }

    /**
     * A kept array of exactly {@code length} bytes, now the caller's, or {@code null} if there is
     * none. Its content is whatever its last user left there.
     */
    synchronized byte[] take(int length) {
        for (Iterator<byte[]> it = arrays.iterator(); it.hasNext(); ) {
            byte[] a = it.next();
            if (a.length == length) {
                it.remove();
                held -= length;
                return a;
            }
        }
        return null;
    }

    /**
     * Keeps {@code array} for a later {@link #take}, unless it is too small or too large for the
     * pool. The caller must never touch it again.
     */
    synchronized void give(byte[] array) {
        int length = array.length;
        if (length < MIN_BYTES || length > capacity) {
            return;
        }
        while (held + length > capacity || arrays.size() >= MAX_ARRAYS) {
            held -= arrays.removeLast().length;
        }
        arrays.addFirst(array);
        held += length;
    }

    /** The bytes held now. */
    synchronized long heldBytes() {
        return held;
    }

    /** How many arrays of exactly {@code length} bytes are kept now. */
    synchronized int count(int length) {
        int n = 0;
        for (byte[] a : arrays) {
            n += a.length == length ? 1 : 0;
        }
        return n;
    }
}
