package dev.airlock.core.engine.memory;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import dev.airlock.core.GuestMemory;
import dev.airlock.core.GuestMemoryException;
import java.util.Objects;

/** {@link GuestMemory} over the calling instance's Chicory memory, bounds-checked. */
public final class ChicoryGuestMemory implements GuestMemory {
    private final Memory memory;

    private ChicoryGuestMemory(Memory memory) {
        this.memory = memory;
    }

    /** The instance's memory, or an empty one when it has none. */
    public static GuestMemory of(Instance instance) {
        Memory m;
        try {
            m = instance == null ? null : instance.memory();
        } catch (RuntimeException e) {
            m = null;
        }
        return new ChicoryGuestMemory(m);
    }

    @Override
    public long size() {
        return memory == null ? 0 : (long) memory.pages() * Memory.PAGE_SIZE;
    }

    private void check(long address, long length) {
        if (!contains(address, length)) {
            throw new GuestMemoryException(address, length, size());
        }
    }

    @Override
    public byte[] readBytes(long address, long length) {
        check(address, length);
        if (length == 0) {
            return new byte[0];
        }
        return memory.readBytes((int) address, (int) length);
    }

    @Override
    public void writeBytes(long address, byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        check(address, length);
        if (length > 0) {
            memory.write((int) address, src, offset, length);
        }
    }

    @Override
    public int readInt(long address) {
        check(address, 4);
        return memory.readInt((int) address);
    }

    @Override
    public void writeInt(long address, int value) {
        check(address, 4);
        memory.writeI32((int) address, value);
    }
}
