package dev.airlock.core.engine.memory;

import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.util.Arrays;

/**
 * The two modes of a {@link CowMemory}. A memory starts in <em>chunk mode</em>: its 16 KiB chunks
 * may be shared with snapshots and other instances and are copied on their first write, so that a
 * restore or a fork costs pointers. A fresh memory (no snapshot to share) goes <em>flat</em> at the
 * guest's first load or store, as does one restored from a snapshot of at most {@link
 * #DEFAULT_FLAT_RESTORE} bytes (its array, when there is one, from the {@link FlatPool}); a larger
 * restored one when its guest keeps running: after {@link #DEFAULT_FLAT_AFTER} loads and stores in
 * chunk mode (a budget, so the switch is deterministic) its whole content is copied once into one
 * private array of exactly its size, which loads and stores then reach with the array's own bounds
 * check and nothing else (Python compute in about 0.8x the time). Growing copies the array (see
 * {@link #growFlat}); sharing the memory again ({@link #share()}) copies it back into chunks, which
 * the memory and the snapshot then share, and the budget starts again, at least the memory's size
 * in bytes, so that copying is never more than a small part of a guest's time.
 *
 * <p>In flat mode guard chunks are plain memory: the memory goes flat only where the stack they
 * guard is checked instead when its pointer is written ({@link ChunkTable#guard(int, int, String,
 * boolean)}), and a wild access into them is no longer a trap. Memories above {@link
 * ChunkTable#MAX_FLAT} stay in chunk mode. {@code -Dairlock.memory.flatAfter=N} sets the budget; a
 * negative one keeps every memory in chunk mode; {@code -Dairlock.memory.flatRestore=BYTES} the
 * size of restored memories that go flat at once (negative: none).
 */
abstract class FlatTable extends ChunkTable {
    /**
     * Loads and stores in chunk mode before a memory goes flat: some milliseconds of guest code.
     */
    static final long DEFAULT_FLAT_AFTER = 1L << 22;

    /**
     * Bytes that growing a flat memory may always copy, however small the memory was when it went
     * flat: QuickJS's 1.6 MiB heap grows a page at a time to 3 MiB in a string and JSON program (30
     * MiB of copies), bz2's 3 MiB to 10 MiB in four steps.
     */
    static final long MIN_GROWTH_COPY = 32L << 20;

    /**
     * The largest memory that goes flat at its first access after adopting a snapshot's chunks: 8
     * MiB (QuickJS's heap; CPython's 12-18 MiB keep the budget, most of a short run's writes being
     * a small part of it). In JavaScript's compute programs the chunk phase of each run cost
     * 1.2-1.8x (string and JSON: 780 against 428 ms).
     */
    static final long DEFAULT_FLAT_RESTORE = 8L << 20;

    private static final long FLAT_AFTER =
            Long.getLong("airlock.memory.flatAfter", DEFAULT_FLAT_AFTER);

    private static final long FLAT_RESTORE =
            Long.getLong("airlock.memory.flatRestore", DEFAULT_FLAT_RESTORE);

    private final long flatAfter;
    private long budget;
    private long growAllowance; // bytes that growing may still copy before going back to chunks
    private int guardFirst = -1; // flat mode: the guard chunks [guardFirst, guardEnd)
    private int guardEnd = -1;

    FlatTable(MemoryLimits limits, long flatAfter) {
        super(limits);
        this.flatAfter = flatAfter;
        this.budget = flatAfter;
    }

    FlatTable(MemoryLimits limits) {
        this(limits, FLAT_AFTER);
    }

    /** Makes the memory go flat at its next load or store (unless its budget is negative). */
    final void flatSoon() {
        if (flatAfter >= 0) {
            budget = 0;
        }
    }

    /** Whether the memory is in flat mode. */
    final boolean isFlat() {
        return flat != NONE;
    }

    /**
     * Counts one access in chunk mode and goes flat when the budget is spent.
     *
     * @return whether the memory is now flat
     */
    final boolean spend() {
        if (--budget >= 0 || flatAfter < 0) {
            return false;
        }
        budget = Math.max(flatAfter, size()); // spent again before the next try
        return flatten();
    }

    /** Copies the content into one array and goes flat, unless the memory cannot. */
    final boolean flatten() {
        if (flat != NONE) {
            return true;
        }
        int first = -1;
        int end = -1;
        for (int i = 0; i < nChunks; i++) {
            if (pages[i] == GUARD) {
                if (end >= 0 || !guardChecked) {
                    return false; // a second run of guards, or a stack nothing else checks
                }
                first = first < 0 ? i : first;
            } else if (first >= 0 && end < 0) {
                end = i;
            }
        }
        long bytes = (long) nChunks << SHIFT;
        if (bytes > MAX_FLAT) {
            return false;
        }
        byte[] f = FlatPool.SHARED.take((int) bytes);
        boolean used = f != null; // another memory's: every byte is written here
        if (!used) {
            f = new byte[(int) bytes];
        }
        for (int i = 0; i < nChunks; i++) {
            byte[] p = pages[i];
            if (p != ZERO && p != GUARD) {
                System.arraycopy(p, 0, f, i << SHIFT, CHUNK);
            } else if (used) {
                Arrays.fill(f, i << SHIFT, (i + 1) << SHIFT, (byte) 0);
            }
        }
        Arrays.fill(pages, null);
        Arrays.fill(owned, null);
        growAllowance = Math.max(8 * bytes, MIN_GROWTH_COPY);
        guardFirst = first;
        guardEnd = first < 0 ? -1 : end < 0 ? nChunks : end;
        flat = f;
        return true;
    }

    /**
     * Grows the array by copying it (into one of the new size from the {@link FlatPool} when it has
     * one, the old array going there: QuickJS's heap grows 14 times in a string and JSON run, 0.77x
     * its time with used arrays), while the copies made since the memory went flat stay within
     * eight times the size it had then (at least {@link #MIN_GROWTH_COPY}) and the memory within
     * {@link #MAX_FLAT_GROWTH}; otherwise false, and the memory goes back to chunks ({@link
     * #stayInChunks}). Guests grow their memory a page or a few at a time (CPython 64-256 KiB while
     * its heap is 12-18 MiB), and copying it whole each time had rust-json run 1.8x slower, while
     * four times had CPython's wordcount.py go back and forth (1.3x); so copying stays within a few
     * bytes per load and store. Without the floor, QuickJS's small heap went back to chunks in a
     * string and JSON program, which then ran 1.4-2.3x slower.
     */
    @Override
    final boolean growFlat(long bytes) {
        if (bytes > MAX_FLAT_GROWTH || bytes > growAllowance) {
            return false;
        }
        growAllowance -= bytes;
        byte[] old = flat;
        byte[] grown = FlatPool.SHARED.take((int) bytes);
        if (grown == null) {
            grown = Arrays.copyOf(old, (int) bytes);
        } else { // another memory's: every byte is written
            System.arraycopy(old, 0, grown, 0, old.length);
            Arrays.fill(grown, old.length, grown.length, (byte) 0);
        }
        flat = grown;
        FlatPool.SHARED.give(old); // only ever read through this field, on the guest's thread
        return true;
    }

    /**
     * Back to chunk mode, for good until the memory adopts a snapshot: its growth would cost more
     * copying than flat mode saves (CPython's wordcount.py, flat again after each round of growth,
     * ran 1.3-2.3x slower).
     */
    @Override
    final void stayInChunks() {
        unflatten();
        budget = Long.MAX_VALUE;
    }

    /** Back to chunk mode, the array copied into chunks that this memory owns. */
    @Override
    final void unflatten() {
        if (flat == NONE) {
            return;
        }
        byte[] f = flat;
        flat = NONE;
        budget = Math.max(flatAfter, size());
        ensureCapacity(nChunks);
        for (int i = 0; i < nChunks; i++) {
            int at = i << SHIFT;
            if (i >= guardFirst && i < guardEnd) {
                pages[i] = GUARD; // what the guest wrote there is dropped: it is a guard again
                owned[i] = null;
            } else if (Arrays.mismatch(f, at, at + CHUNK, ZERO, 0, CHUNK) < 0) {
                pages[i] = ZERO;
                owned[i] = null;
            } else {
                byte[] p = Arrays.copyOfRange(f, at, at + CHUNK);
                pages[i] = p;
                owned[i] = p;
            }
        }
    }

    /**
     * Empties the memory for good: its flat array, if any, goes to the {@link FlatPool} for another
     * memory, and it has no pages left, so that any later access is out of bounds. Only for a
     * memory that no thread runs guest code in or reads any more (a closed instance, a finished
     * run): an array still in use by one memory must never reach another.
     */
    public final void release() {
        byte[] f = flat;
        flat = NONE;
        nChunks = 0;
        budget = Long.MAX_VALUE;
        Arrays.fill(pages, null);
        Arrays.fill(owned, null);
        if (f != NONE) {
            FlatPool.SHARED.give(f);
        }
    }

    /** Leaves flat mode without keeping the content: the caller sets every chunk. */
    final void forgetFlat() {
        if (flat != NONE) {
            flat = NONE;
            ensureCapacity(nChunks);
        }
        budget = flatAfter;
    }

    @Override
    byte[][] share() {
        unflatten();
        return super.share();
    }

    /**
     * Adopts the chunks as {@link ChunkTable#adopt} does; a memory of at most {@link #FLAT_RESTORE}
     * bytes then goes flat at its first load or store rather than after a budget in chunk mode (see
     * the class comment of {@link FlatPool} for why that is cheap).
     */
    @Override
    void adopt(byte[][] from) {
        forgetFlat();
        super.adopt(from);
        if ((long) from.length << SHIFT <= FLAT_RESTORE) {
            flatSoon();
        }
    }

    // Bulk operations, in either mode.

    @Override
    public void write(int addr, byte[] data, int offset, int size) {
        check(offset, size, data.length, WasmRuntimeException::new);
        check(addr, size, size(), WasmRuntimeException::new);
        if (isFlat()) {
            System.arraycopy(data, offset, flat, addr, size);
            return;
        }
        while (size > 0) {
            int at = addr & MASK;
            int chunk = Math.min(size, CHUNK - at);
            System.arraycopy(data, offset, writable(addr >>> SHIFT, addr, chunk), at, chunk);
            addr += chunk;
            offset += chunk;
            size -= chunk;
        }
    }

    @Override
    public byte[] readBytes(int addr, int len) {
        check(addr, len, size(), WasmRuntimeException::new);
        if (isFlat()) {
            return Arrays.copyOfRange(flat, addr, addr + len);
        }
        byte[] out = new byte[len];
        for (int done = 0; done < len; ) {
            int a = addr + done;
            int chunk = Math.min(len - done, CHUNK - (a & MASK));
            byte[] p = pages[a >>> SHIFT];
            if (p != GUARD) { // host reads (WASI, snapshots, scans) see a guard page as zeros
                System.arraycopy(p, a & MASK, out, done, chunk);
            }
            done += chunk;
        }
        return out;
    }

    @Override
    public void zero() {
        forgetFlat(); // every chunk is set here, guards included (they are not guards afterwards)
        Arrays.fill(pages, 0, nChunks, ZERO);
        Arrays.fill(owned, 0, nChunks, null);
    }

    @Override
    public void fill(byte value, int fromIndex, int toIndex) {
        int left = toIndex - fromIndex;
        check(fromIndex, left, size(), WasmRuntimeException::new);
        if (isFlat()) {
            Arrays.fill(flat, fromIndex, toIndex, value);
            return;
        }
        for (int addr = fromIndex; left > 0; ) {
            int at = addr & MASK;
            int chunk = Math.min(left, CHUNK - at);
            Arrays.fill(writable(addr >>> SHIFT, addr, chunk), at, at + chunk, value);
            addr += chunk;
            left -= chunk;
        }
    }

    @Override
    public void copy(int dest, int src, int size) {
        check(dest, size, size(), WasmRuntimeException::new);
        check(src, size, size(), WasmRuntimeException::new);
        if (isFlat()) {
            System.arraycopy(flat, src, flat, dest, size);
            return;
        }
        if (dest > src && dest < src + size) {
            copyBackward(dest, src, size);
            return;
        }
        while (size > 0) {
            int d = dest & MASK;
            int s = src & MASK;
            int chunk = Math.min(size, CHUNK - Math.max(d, s));
            byte[] to = writable(dest >>> SHIFT, dest, chunk); // before reading: may be src's page
            System.arraycopy(readable(src >>> SHIFT, src), s, to, d, chunk);
            dest += chunk;
            src += chunk;
            size -= chunk;
        }
    }

    private void copyBackward(int dest, int src, int size) {
        dest += size;
        src += size;
        while (size > 0) {
            int d = dest & MASK;
            int s = src & MASK;
            int chunk = Math.min(size, Math.min(d == 0 ? CHUNK : d, s == 0 ? CHUNK : s));
            dest -= chunk;
            src -= chunk;
            byte[] to = writable(dest >>> SHIFT, dest, chunk);
            System.arraycopy(readable(src >>> SHIFT, src), src & MASK, to, dest & MASK, chunk);
            size -= chunk;
        }
    }
}
