package dev.airlock.core.engine.memory;

import com.dylibso.chicory.runtime.ConstantEvaluators;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.UninstantiableException;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.PassiveDataSegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A linear memory held in 16 KiB chunks that can be shared copy-on-write with snapshots and with
 * other instances: {@link #share()} hands out the current chunks (the memory keeps reading them,
 * and copies a chunk on its first write after that), {@link #adopt} starts from a snapshot's chunks
 * without copying them. Restoring or forking a 60 MiB heap is thus a matter of pointers; only the
 * chunks the guest writes afterwards are copied (a quarter of a WebAssembly page each: CPython's
 * writes after a restore are scattered, and 64 KiB units copied about four times as much). Pages
 * added by {@code memory.grow} point to one shared zero chunk until written, so memory the guest
 * reserves but never touches costs no heap; the chunk tables grow with the memory.
 *
 * <p>Reads go through {@code pages}; writes through {@code owned}, which holds the same array for a
 * chunk this memory may write and {@code null} for a shared one. A chunk is never written once
 * shared, so snapshots and forks may read it from any thread. Unshared memories only (a shared
 * memory gets Chicory's own); out-of-bounds accesses throw the same exceptions as Chicory's.
 */
public final class CowMemory extends ChunkTable {
    private static final VarHandle SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private DataSegment[] dataSegments;
    private long[] results = new long[16]; // see ResultBuffer

    /** This instance's array for the values a piece of a split function returns. */
    long[] results(int n) {
        long[] r = results;
        if (r.length < n) {
            r = new long[n];
            results = r;
        }
        return r;
    }

    public CowMemory(MemoryLimits limits) {
        super(limits);
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    @SuppressWarnings("removal")
    public Object lock(int address) {
        return this; // unshared: one thread at a time, the defaults' atomics just need a monitor
    }

    @Override
    @SuppressWarnings("removal")
    public int waitOn(int address, int expected, long timeout) {
        throw new ChicoryException("Attempt to wait on a non-shared memory, not supported.");
    }

    @Override
    @SuppressWarnings("removal")
    public int waitOn(int address, long expected, long timeout) {
        throw new ChicoryException("Attempt to wait on a non-shared memory, not supported.");
    }

    @Override
    @SuppressWarnings("removal")
    public int notify(int address, int maxThreads) {
        return 0;
    }

    @Override
    public void initialize(Instance instance, DataSegment[] segments) {
        initialize(instance, segments, 0);
    }

    @Override
    public void initialize(Instance instance, DataSegment[] segments, int memoryIndex) {
        this.dataSegments = segments;
        if (segments == null) {
            return;
        }
        for (DataSegment s : segments) {
            if (s instanceof ActiveDataSegment) {
                ActiveDataSegment a = (ActiveDataSegment) s;
                if (a.index() != memoryIndex) {
                    continue;
                }
                int at =
                        (int)
                                ConstantEvaluators.computeConstantValue(
                                        instance, a.offsetInstructions())[0];
                check(at, a.data().length, size(), UninstantiableException::new);
                write(at, a.data(), 0, a.data().length);
            } else if (!(s instanceof PassiveDataSegment)) {
                throw new ChicoryException("Data segment should be active or passive: " + s);
            }
        }
    }

    @Override
    public void initPassiveSegment(int segmentId, int dest, int offset, int size) {
        write(dest, dataSegments[segmentId].data(), offset, size);
    }

    @Override
    public void drop(int segment) {
        dataSegments[segment] = PassiveDataSegment.EMPTY;
    }

    @Override
    public void write(int addr, byte[] data, int offset, int size) {
        check(offset, size, data.length, WasmRuntimeException::new);
        check(addr, size, size(), WasmRuntimeException::new);
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
    public byte read(int addr) {
        try {
            return pages[addr >>> SHIFT][addr & MASK];
        } catch (RuntimeException e) {
            throw outOfBounds(e, addr, 1);
        }
    }

    @Override
    public byte[] readBytes(int addr, int len) {
        check(addr, len, size(), WasmRuntimeException::new);
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

    /**
     * The chunk holding {@code addr} when this memory owns it (may write it), else {@code null}: a
     * shared, zero or guard chunk, or an address past the chunk table, which {@link #page} then
     * copies or reports. Tested, not caught: the first write to each shared chunk after a restore
     * is common (CPython's first run writes about 90 of them), and a thrown and caught exception
     * per such write cost more than the whole copy.
     */
    private byte[] owns(int addr) {
        int index = addr >>> SHIFT;
        byte[][] o = owned;
        return index < o.length ? o[index] : null;
    }

    @Override
    public void writeByte(int addr, byte data) {
        byte[] p = owns(addr);
        (p != null ? p : page(addr, 1))[addr & MASK] = data;
    }

    @Override
    public void writeShort(int addr, short data) {
        int off = addr & MASK;
        if (off <= CHUNK - 2) {
            byte[] p = owns(addr);
            SHORT.set(p != null ? p : page(addr, 2), off, data);
        } else {
            check(addr, 2, size(), WasmRuntimeException::new);
            writeBytesOf(addr, data, 2);
        }
    }

    @Override
    public void writeI32(int addr, int data) {
        int off = addr & MASK;
        if (off <= CHUNK - 4) {
            byte[] p = owns(addr);
            INT.set(p != null ? p : page(addr, 4), off, data);
        } else {
            check(addr, 4, size(), WasmRuntimeException::new);
            writeBytesOf(addr, data, 4);
        }
    }

    @Override
    public void writeLong(int addr, long data) {
        int off = addr & MASK;
        if (off <= CHUNK - 8) {
            byte[] p = owns(addr);
            LONG.set(p != null ? p : page(addr, 8), off, data);
        } else {
            check(addr, 8, size(), WasmRuntimeException::new);
            writeBytesOf(addr, data, 8);
        }
    }

    /** A value that straddles two pages, little-endian, after its bounds were checked. */
    private void writeBytesOf(int addr, long value, int n) {
        for (int i = 0; i < n; i++) {
            writeByte(addr + i, (byte) (value >>> (8 * i)));
        }
    }

    @Override
    public void writeF32(int addr, float data) {
        writeI32(addr, Float.floatToRawIntBits(data));
    }

    @Override
    public void writeF64(int addr, double data) {
        writeLong(addr, Double.doubleToRawLongBits(data));
    }

    @Override
    public short readShort(int addr) {
        int off = addr & MASK;
        if (off <= CHUNK - 2) {
            try {
                return (short) SHORT.get(pages[addr >>> SHIFT], off);
            } catch (RuntimeException e) {
                throw outOfBounds(e, addr, 2);
            }
        }
        return (short) readBytesOf(addr, 2);
    }

    @Override
    public int readInt(int addr) {
        int off = addr & MASK;
        if (off <= CHUNK - 4) {
            try {
                return (int) INT.get(pages[addr >>> SHIFT], off);
            } catch (RuntimeException e) {
                throw outOfBounds(e, addr, 4);
            }
        }
        return (int) readBytesOf(addr, 4);
    }

    @Override
    public long readLong(int addr) {
        int off = addr & MASK;
        if (off <= CHUNK - 8) {
            try {
                return (long) LONG.get(pages[addr >>> SHIFT], off);
            } catch (RuntimeException e) {
                throw outOfBounds(e, addr, 8);
            }
        }
        return readBytesOf(addr, 8);
    }

    private long readBytesOf(int addr, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (read(addr + i) & 0xFFL) << (8 * i);
        }
        return v;
    }

    @Override
    public long readU16(int addr) {
        return readShort(addr) & 0xFFFFL;
    }

    @Override
    public long readF32(int addr) {
        return readInt(addr);
    }

    @Override
    public float readFloat(int addr) {
        return Float.intBitsToFloat(readInt(addr));
    }

    @Override
    public long readF64(int addr) {
        return readLong(addr);
    }

    @Override
    public double readDouble(int addr) {
        return Double.longBitsToDouble(readLong(addr));
    }

    @Override
    public void zero() {
        Arrays.fill(pages, 0, nChunks, ZERO);
        Arrays.fill(owned, 0, nChunks, null);
    }

    @Override
    public void fill(byte value, int fromIndex, int toIndex) {
        int left = toIndex - fromIndex;
        check(fromIndex, left, size(), WasmRuntimeException::new);
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
