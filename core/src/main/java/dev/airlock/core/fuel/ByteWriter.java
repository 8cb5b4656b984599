package dev.airlock.core.fuel;

import java.util.Arrays;

/** A growable byte buffer with LEB128 encoders. */
public final class ByteWriter {
    private byte[] buf;
    private int size;

    /** An empty buffer. */
    public ByteWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    /** How many bytes were written. */
    public int size() {
        return size;
    }

    private void ensure(int more) {
        if (more > buf.length - size) {
            long want = Math.max((long) buf.length * 2, (long) size + more);
            if (want > Integer.MAX_VALUE - 16) {
                if ((long) size + more > Integer.MAX_VALUE - 16) {
                    throw new MeteringException("metered module too large");
                }
                want = Integer.MAX_VALUE - 16;
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    /** Writes one byte. */
    public ByteWriter u8(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    /** Writes an unsigned LEB128 number. */
    public ByteWriter u32(long v) {
        ensure(5);
        do {
            int b = (int) (v & 0x7f);
            v >>>= 7;
            buf[size++] = (byte) (v != 0 ? b | 0x80 : b);
        } while (v != 0);
        return this;
    }

    /** Writes a signed LEB128 number. */
    public ByteWriter s64(long v) {
        ensure(10);
        while (true) {
            int b = (int) (v & 0x7f);
            v >>= 7;
            boolean done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
            buf[size++] = (byte) (done ? b : b | 0x80);
            if (done) {
                return this;
            }
        }
    }

    /** Writes {@code src[from..to)}. */
    public ByteWriter bytes(byte[] src, int from, int to) {
        int n = to - from;
        ensure(n);
        System.arraycopy(src, from, buf, size, n);
        size += n;
        return this;
    }

    /** Writes what another buffer holds. */
    public ByteWriter bytes(ByteWriter other) {
        return bytes(other.buf, 0, other.size);
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
