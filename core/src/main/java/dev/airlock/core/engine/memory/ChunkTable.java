package dev.airlock.core.engine.memory;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.airlock.core.Snapshot;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The chunk tables of a {@link CowMemory}: which 16 KiB chunk backs each part of the memory, which
 * chunks the memory owns (may write) and which are shared or guard chunks; growth, sharing with
 * snapshots, adoption of a snapshot's chunks, guard chunks, bounds checks and copy-on-first-write.
 * {@link CowMemory} adds the WebAssembly loads and stores on top.
 */
abstract class ChunkTable implements Memory {
    /** The unit of copy-on-write: 16 KiB, a quarter of a WebAssembly page. */
    static final int CHUNK = Snapshot.CHUNK_BYTES;

    static final int SHIFT = Integer.numberOfTrailingZeros(CHUNK);
    static final int MASK = CHUNK - 1;
    static final int PER_PAGE = PAGE_SIZE / CHUNK;
    static final byte[] ZERO = new byte[CHUNK];

    /** Marks a guard chunk: any access to it throws {@link ShadowStackOverflow}. */
    static final byte[] GUARD = new byte[0];

    /** The flat array of a memory in chunk mode: empty. */
    static final byte[] NONE = new byte[0];

    /**
     * The largest memory a flat memory grows to by copying its array (each growth copies it whole;
     * a larger one goes back to chunk mode and stays there until it adopts a snapshot); see
     * FlatTable.
     */
    static final long MAX_FLAT_GROWTH = 64L << 20;

    /** The largest flat memory: Java arrays stop short of 2 GiB. */
    static final long MAX_FLAT = Integer.MAX_VALUE & ~(long) (PAGE_SIZE - 1);

    final MemoryLimits limits;
    final int maxChunks;
    byte[][] pages; // by chunk; grown with the memory (chunk mode)
    byte[][] owned;
    int nChunks;
    String guardMessage;
    int guardLo; // the guard chunks' bytes, for the stack pointer check; guardSpan 0: none
    int guardSpan;
    boolean guardChecked; // whether every write of the stack pointer is checked

    /**
     * Flat mode ({@link FlatTable}): the whole memory, exactly, in one array; else NONE (empty).
     * Public only for compiled guest code, which reads it in place of a load or store call (another
     * class loader defines that code; see FlatAccesses in the module package); written only by this
     * class and its subclasses.
     */
    public byte[] flat = NONE;

    ChunkTable(MemoryLimits limits) {
        if (limits.shared()) {
            throw new IllegalArgumentException("a shared memory cannot be copy-on-write");
        }
        this.limits = limits;
        this.maxChunks = Math.min(limits.maximumPages(), RUNTIME_MAX_PAGES) * PER_PAGE;
        int initial = Math.min(maxChunks, Math.max(64, limits.initialPages() * PER_PAGE));
        this.pages = new byte[initial][];
        this.owned = new byte[initial][];
        if (grow(limits.initialPages()) < 0) {
            throw new IllegalArgumentException("initial pages above the maximum");
        }
    }

    /** Makes the chunk tables hold at least {@code n} chunks. */
    final void ensureCapacity(int n) {
        if (n > pages.length) {
            int capacity = (int) Math.min(maxChunks, Math.max(n, 2L * pages.length));
            pages = Arrays.copyOf(pages, capacity);
            owned = Arrays.copyOf(owned, capacity);
        }
    }

    /**
     * Replaces the whole content with {@code from}'s chunks ({@value #CHUNK} bytes each, a whole
     * number of pages), shared: nothing is copied until the guest writes a chunk. The arrays must
     * never be written by anyone afterwards.
     *
     * @throws IllegalArgumentException if they are more than the maximum or not whole pages
     */
    void adopt(byte[][] from) {
        if (from.length > maxChunks || from.length % PER_PAGE != 0) {
            throw new IllegalArgumentException("the snapshot's memory does not fit this memory");
        }
        ensureCapacity(from.length);
        System.arraycopy(from, 0, pages, 0, from.length);
        Arrays.fill(pages, from.length, pages.length, null);
        Arrays.fill(owned, null);
        nChunks = from.length;
    }

    /**
     * The current chunks, which become shared: this memory copies each on its next write, so the
     * returned arrays stay as they are now.
     */
    byte[][] share() {
        Arrays.fill(owned, 0, nChunks, null);
        byte[][] out = Arrays.copyOf(pages, nChunks);
        for (int i = 0; i < out.length; i++) {
            if (out[i] == GUARD) {
                out[i] = ZERO; // a snapshot holds plain chunks; the restore puts guards back
            }
        }
        return out;
    }

    /**
     * Makes {@code count} pages from {@code first} guard pages: reading or writing them throws
     * {@link ShadowStackOverflow} with {@code message}. They hold nothing and cost nothing.
     */
    void guard(int first, int count, String message) {
        guard(first, count, message, false);
    }

    /**
     * Guard pages as above, below a stack whose pointer is the module's global 0; {@code checked}
     * says that every write of that global by the module's code goes through {@link StackPointer},
     * which throws the same error when the pointer enters the guard pages. Only then may the memory
     * go flat, where the guard pages are plain memory.
     */
    void guard(int first, int count, String message, boolean checked) {
        if (first < 0 || count < 0 || (long) first + count > pages()) {
            throw new IllegalArgumentException("guard pages outside the memory");
        }
        unflatten();
        Arrays.fill(pages, first * PER_PAGE, (first + count) * PER_PAGE, GUARD);
        Arrays.fill(owned, first * PER_PAGE, (first + count) * PER_PAGE, null);
        this.guardMessage = message;
        this.guardLo = first * PAGE_SIZE;
        this.guardSpan = count * PAGE_SIZE;
        this.guardChecked = checked;
    }

    /**
     * Called with each value the module's code writes to its stack pointer (global 0) when the
     * memory has guard pages: a pointer within them is a stack overflow, reported as touching them
     * would be (before any frame there is used).
     */
    final void stackPointer(int sp) {
        if (Integer.compareUnsigned(sp - guardLo, guardSpan) < 0) {
            throw new ShadowStackOverflow(guardMessage, sp);
        }
    }

    /** In flat mode, makes the array {@code bytes} long, or says it should not (see FlatTable). */
    abstract boolean growFlat(long bytes);

    /** Back to chunk mode for good (until the memory adopts a snapshot): see FlatTable. */
    abstract void stayInChunks();

    /** Back to chunk mode (see {@link FlatTable}); nothing in chunk mode. */
    abstract void unflatten();

    /** Bytes this memory has copied or allocated for itself (chunks written since sharing). */
    long ownedBytes() {
        if (flat != NONE) {
            return flat.length;
        }
        long n = 0;
        for (int i = 0; i < nChunks; i++) {
            n += owned[i] != null ? CHUNK : 0;
        }
        return n;
    }

    @Override
    public int pages() {
        return nChunks / PER_PAGE;
    }

    @Override
    public final int grow(int size) {
        int before = pages();
        long after = (long) before + size;
        if (size < 0 || after > maximumPages()) {
            return -1;
        }
        int chunks = (int) after * PER_PAGE;
        if (flat != NONE) {
            if (growFlat((long) chunks << SHIFT)) {
                nChunks = chunks;
                return before;
            }
            stayInChunks(); // chunk mode grows for nothing
        }
        ensureCapacity(chunks);
        Arrays.fill(pages, nChunks, chunks, ZERO);
        nChunks = chunks;
        return before;
    }

    @Override
    public int initialPages() {
        return limits.initialPages();
    }

    @Override
    public int maximumPages() {
        return maxChunks / PER_PAGE;
    }

    final int size() {
        return nChunks << SHIFT;
    }

    static void check(int addr, int size, int limit, Function<String, ChicoryException> error) {
        if (addr < 0 || size < 0 || addr > limit || (size > 0 && addr + size > limit)) {
            throw error.apply(outOfBoundsMessage(addr, limit, size));
        }
    }

    /** Chicory's own wording, so traps read and classify the same as with its memory. */
    private static String outOfBoundsMessage(int addr, int limit, int size) {
        return "out of bounds memory access: attempted to access address: "
                + addr
                + " but limit is: "
                + limit
                + " and size: "
                + size;
    }

    final RuntimeException outOfBounds(RuntimeException e, int addr, int size) {
        int index = addr >>> SHIFT;
        if (index < nChunks && pages[index] == GUARD) {
            return new ShadowStackOverflow(guardMessage, addr);
        }
        if (e instanceof IndexOutOfBoundsException || e instanceof NullPointerException) {
            return new WasmRuntimeException(outOfBoundsMessage(addr, size(), size));
        }
        return e;
    }

    /** The chunk at {@code index} made writable: copied first if it is shared. */
    final byte[] writable(int index, int addr, int size) {
        byte[] p = owned[index];
        if (p != null) {
            return p;
        }
        if (index >= nChunks) {
            throw outOfBounds(new IndexOutOfBoundsException(), addr, size);
        }
        byte[] from = readable(index, addr);
        p = from == ZERO ? new byte[CHUNK] : from.clone();
        pages[index] = p;
        owned[index] = p;
        return p;
    }

    /** The chunk at {@code index} for reading, unless it is a guard chunk. */
    final byte[] readable(int index, int addr) {
        byte[] p = pages[index];
        if (p == GUARD) {
            throw new ShadowStackOverflow(guardMessage, addr);
        }
        return p;
    }

    final byte[] page(int addr, int size) {
        try {
            byte[] p = owned[addr >>> SHIFT];
            return p != null ? p : writable(addr >>> SHIFT, addr, size);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw outOfBounds(e, addr, size);
        }
    }
}
