package dev.airlock.core.fuel;

/** Reads a WebAssembly binary: bytes and LEB128 numbers, every read bounds-checked. */
public final class ByteReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    /** A reader of {@code buf} from {@code start} to {@code end}. */
    public ByteReader(byte[] buf, int start, int end) {
        if (start < 0 || end > buf.length || start > end) {
            throw new MeteringException("malformed: bad range");
        }
        this.buf = buf;
        this.pos = start;
        this.end = end;
    }

    /** The position of the next byte. */
    public int pos() {
        return pos;
    }

    /** Where the range ends. */
    public int end() {
        return end;
    }

    /** Whether every byte has been read. */
    public boolean atEnd() {
        return pos >= end;
    }

    /** One byte. */
    public int u8() {
        if (pos >= end) {
            throw new MeteringException("malformed: unexpected end at byte " + pos);
        }
        return buf[pos++] & 0xff;
    }

    /** The next byte, not consumed. */
    public int peek() {
        if (pos >= end) {
            throw new MeteringException("malformed: unexpected end at byte " + pos);
        }
        return buf[pos] & 0xff;
    }

    /** Skips {@code n} bytes. */
    public void skip(int n) {
        if (n < 0 || n > end - pos) {
            throw new MeteringException("malformed: unexpected end at byte " + pos);
        }
        pos += n;
    }

    /** An unsigned LEB128 number of at most 32 bits (5 bytes). */
    public long u32() {
        long result = 0;
        for (int shift = 0; ; shift += 7) {
            int b = u8();
            if (shift == 28 && (b & 0x70) != 0) {
                throw new MeteringException("malformed: integer too large at byte " + (pos - 1));
            }
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
            if (shift == 28) {
                throw new MeteringException("malformed: integer representation too long");
            }
        }
    }

    /** {@link #u32()} as a non-negative int, for counts and sizes. */
    public int count() {
        long v = u32();
        if (v > Integer.MAX_VALUE) {
            throw new MeteringException("malformed: count too large: " + v);
        }
        return (int) v;
    }

    /** A signed LEB128 number of at most {@code bits} bits, returned sign-extended. */
    public long signed(int bits) {
        long result = 0;
        int shift = 0;
        int maxBytes = (bits + 6) / 7;
        for (int i = 0; ; i++) {
            if (i >= maxBytes) {
                throw new MeteringException("malformed: integer representation too long");
            }
            int b = u8();
            result |= (long) (b & 0x7f) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                if (shift < 64 && (b & 0x40) != 0) {
                    result |= -1L << shift;
                }
                return result;
            }
        }
    }

    /** Skips an unsigned LEB128 number of at most 64 bits. */
    void skipU64() {
        for (int i = 0; ; i++) {
            if (i >= 10) {
                throw new MeteringException("malformed: integer representation too long");
            }
            if ((u8() & 0x80) == 0) {
                return;
            }
        }
    }
}
