package dev.airlock.components.binary;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the primitives of the binary format from a byte range, bounds-checked: every read past the
 * end, over-long LEB128 and count larger than the bytes left throws {@link Malformed}.
 */
final class Reader {
    /** A malformed input, with the offset where it was found. */
    static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private final byte[] bytes;
    private int pos;
    private final int end;

    Reader(byte[] bytes, int start, int end) {
        this.bytes = bytes;
        this.pos = start;
        this.end = end;
    }

    int pos() {
        return pos;
    }

    boolean atEnd() {
        return pos >= end;
    }

    byte[] bytes() {
        return bytes;
    }

    Malformed error(String what) {
        return new Malformed(what + " at offset " + pos);
    }

    int u8() {
        if (pos >= end) {
            throw error("unexpected end");
        }
        return bytes[pos++] & 0xFF;
    }

    /** An unsigned LEB128 of at most 32 bits. */
    int u32() {
        long result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = u8();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (result > 0xFFFF_FFFFL) {
                    throw error("integer too large");
                }
                return (int) result;
            }
        }
        throw error("integer representation too long");
    }

    /** A u32 used as an index or size: must fit a non-negative int. */
    int index() {
        int v = u32();
        if (v < 0) {
            throw error("index too large");
        }
        return v;
    }

    /** A signed LEB128 of at most 33 bits (the encoding of value types). */
    long s33() {
        long result = 0;
        int shift = 0;
        int b;
        do {
            if (shift >= 35) {
                throw error("integer representation too long");
            }
            b = u8();
            result |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) {
            result |= -1L << shift;
        }
        return result;
    }

    /**
     * A vector count: each element takes at least {@code minBytes}, so huge counts fail at once.
     */
    int count(int minBytes) {
        int n = index();
        if ((long) n * minBytes > end - pos) {
            throw error("count " + n + " exceeds the bytes left");
        }
        return n;
    }

    String name() {
        int n = count(1);
        ByteBuffer buf = ByteBuffer.wrap(bytes, pos, n);
        try {
            String s =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(buf)
                            .toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw error("name is not valid UTF-8");
        }
    }

    /**
     * A name of the component level (an import, export, field, case or parameter name): no control
     * characters, so that it prints on one line as it is.
     */
    String componentName() {
        int at = pos;
        String n = name();
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
                throw new Malformed("name with a control character at offset " + at);
            }
        }
        return n;
    }

    /** Skips {@code n} bytes. */
    void skip(int n) {
        if (n < 0 || n > end - pos) {
            throw error("unexpected end");
        }
        pos += n;
    }

    /** A sub-reader over the next {@code n} bytes; this reader moves past them. */
    Reader slice(int n) {
        if (n < 0 || n > end - pos) {
            throw error("section size " + n + " exceeds the bytes left");
        }
        Reader r = new Reader(bytes, pos, pos + n);
        pos += n;
        return r;
    }

    int end() {
        return end;
    }
}
