package dev.airlock.core.engine.memory;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.PassiveDataSegment;
import java.lang.invoke.VarHandle;

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
 *
 * <p>A memory whose guest keeps running goes flat ({@link FlatTable}): one private array instead of
 * the chunks, copied back into chunks when the memory is shared again.
 */
public final class CowMemory extends FlatTable {
    private static final VarHandle SHORT = FlatViews.SHORT;
    private static final VarHandle INT = FlatViews.INT;
    private static final VarHandle LONG = FlatViews.LONG;

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

    /** With {@code flatAfter} loads and stores in chunk mode before it goes flat (tests). */
    CowMemory(MemoryLimits limits, long flatAfter) {
        super(limits, flatAfter);
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
        if (segments != null) {
            ActiveSegments.write(instance, segments, memoryIndex, this);
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

    // Loads and stores. In flat mode: the array, whose bounds check is the only one; what it
    // rejects is out of bounds, reported as chunk mode does (flatMiss, flatReadMiss). In chunk
    // mode: one method for every kind (chunks), which HotSpot does not inline into the accessors,
    // so that a memory's short chunk phase at the start of each run leaves the flat path alone in
    // their compiled code (Python compute took 1.3-1.5x as long with the chunk paths inlined
    // beside it).

    private static final int READ_8 = 0;
    private static final int READ_16 = 1;
    private static final int READ_32 = 2;
    private static final int READ_64 = 3;
    private static final int WRITE_8 = 4;
    private static final int WRITE_16 = 5;
    private static final int WRITE_32 = 6;
    private static final int WRITE_64 = 7;

    /**
     * A load or store in chunk mode: counted (the memory may go flat, and then it is done there),
     * then a value within one chunk through the chunk tables, one that straddles two byte by byte
     * (after a bounds check, for a store); loads return the value, stores 0.
     */
    private long chunks(int kind, int addr, long value) {
        if (spend()) {
            switch (kind) {
                case READ_8:
                    return read(addr);
                case READ_16:
                    return readShort(addr);
                case READ_32:
                    return readInt(addr);
                case READ_64:
                    return readLong(addr);
                default:
                    store(kind, addr, value);
                    return 0;
            }
        }
        int size = kind == READ_8 || kind == WRITE_8 ? 1 : 1 << (kind & 3);
        int off = addr & MASK;
        if (kind >= WRITE_8) {
            if (off <= CHUNK - size) {
                byte[] p = owns(addr);
                p = p != null ? p : page(addr, size);
                switch (kind) {
                    case WRITE_8:
                        p[off] = (byte) value;
                        break;
                    case WRITE_16:
                        SHORT.set(p, off, (short) value);
                        break;
                    case WRITE_32:
                        INT.set(p, off, (int) value);
                        break;
                    default:
                        LONG.set(p, off, value);
                }
            } else {
                check(addr, size, size(), WasmRuntimeException::new);
                writeBytesOf(addr, value, size);
            }
            return 0;
        }
        if (off > CHUNK - size) {
            return readBytesOf(addr, size);
        }
        try {
            byte[] p = pages[addr >>> SHIFT];
            switch (kind) {
                case READ_8:
                    return p[off];
                case READ_16:
                    return (short) SHORT.get(p, off);
                case READ_32:
                    return (int) INT.get(p, off);
                default:
                    return (long) LONG.get(p, off);
            }
        } catch (RuntimeException e) {
            throw outOfBounds(e, addr, size);
        }
    }

    private void store(int kind, int addr, long value) {
        switch (kind) {
            case WRITE_8:
                writeByte(addr, (byte) value);
                break;
            case WRITE_16:
                writeShort(addr, (short) value);
                break;
            case WRITE_32:
                writeI32(addr, (int) value);
                break;
            default:
                writeLong(addr, value);
        }
    }

    /** A flat-mode store the array rejected: the error chunk mode gives for it. */
    private RuntimeException flatMiss(RuntimeException e, int addr, int size) {
        if ((addr & MASK) <= CHUNK - size) {
            return outOfBounds(e, addr, size);
        }
        check(addr, size, size(), WasmRuntimeException::new); // throws: the array is the memory
        return outOfBounds(e, addr, size);
    }

    /** A flat-mode load the array rejected: the error chunk mode gives for it. */
    private RuntimeException flatReadMiss(RuntimeException e, int addr, int size) {
        if ((addr & MASK) > CHUNK - size) {
            readBytesOf(addr, size); // throws where chunk mode does, at the first byte outside
        }
        return outOfBounds(e, addr, size);
    }

    @Override
    public byte read(int addr) {
        byte[] f = flat;
        if (f != NONE) {
            try {
                return f[addr];
            } catch (RuntimeException e) {
                throw outOfBounds(e, addr, 1);
            }
        }
        return (byte) chunks(READ_8, addr, 0);
    }

    @Override
    public void writeByte(int addr, byte data) {
        byte[] f = flat;
        if (f != NONE) {
            try {
                f[addr] = data;
            } catch (RuntimeException e) {
                throw outOfBounds(e, addr, 1);
            }
            return;
        }
        chunks(WRITE_8, addr, data);
    }

    @Override
    public void writeShort(int addr, short data) {
        byte[] f = flat;
        if (f != NONE) {
            try {
                SHORT.set(f, addr, data);
            } catch (RuntimeException e) {
                throw flatMiss(e, addr, 2);
            }
            return;
        }
        chunks(WRITE_16, addr, data);
    }

    @Override
    public void writeI32(int addr, int data) {
        byte[] f = flat;
        if (f != NONE) {
            try {
                INT.set(f, addr, data);
            } catch (RuntimeException e) {
                throw flatMiss(e, addr, 4);
            }
            return;
        }
        chunks(WRITE_32, addr, data);
    }

    @Override
    public void writeLong(int addr, long data) {
        byte[] f = flat;
        if (f != NONE) {
            try {
                LONG.set(f, addr, data);
            } catch (RuntimeException e) {
                throw flatMiss(e, addr, 8);
            }
            return;
        }
        chunks(WRITE_64, addr, data);
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
        byte[] f = flat;
        if (f != NONE) {
            try {
                return (short) SHORT.get(f, addr);
            } catch (RuntimeException e) {
                throw flatReadMiss(e, addr, 2);
            }
        }
        return (short) chunks(READ_16, addr, 0);
    }

    @Override
    public int readInt(int addr) {
        byte[] f = flat;
        if (f != NONE) {
            try {
                return (int) INT.get(f, addr);
            } catch (RuntimeException e) {
                throw flatReadMiss(e, addr, 4);
            }
        }
        return (int) chunks(READ_32, addr, 0);
    }

    @Override
    public long readLong(int addr) {
        byte[] f = flat;
        if (f != NONE) {
            try {
                return (long) LONG.get(f, addr);
            } catch (RuntimeException e) {
                throw flatReadMiss(e, addr, 8);
            }
        }
        return chunks(READ_64, addr, 0);
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
}
