package dev.airlock.audit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that audit records are encoded into as UTF-8 JSON, without building
 * strings: the writer encodes, hashes and writes the same bytes. Strings are encoded exactly as
 * {@link String#getBytes} with UTF-8 would encode their JSON form, so that a verifier reading the
 * text back computes the same hashes. Not thread-safe.
 */
final class RecordBuffer {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    byte[] bytes;
    int length;

    RecordBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    void clear() {
        length = 0;
    }

    /** Makes room for {@code n} more bytes. */
    void ensure(int n) {
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
        }
    }

    RecordBuffer put(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Appends text known to be plain ASCII (field names, hex, fixed words). */
    RecordBuffer ascii(String s) {
        int n = s.length();
        ensure(n);
        s.getBytes(0, n, bytes, length); // deprecated but exact for ASCII, and allocation-free
        length += n;
        return this;
    }

    RecordBuffer put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
        return this;
    }

    /** Appends a decimal number, as {@link Long#toString(long)} writes it. */
    RecordBuffer number(long v) {
        if (v == Long.MIN_VALUE) {
            return ascii(Long.toString(v));
        }
        ensure(20);
        if (v < 0) {
            bytes[length++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int end = length + digits;
        for (int i = end - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        length = end;
        return this;
    }

    /** Appends {@code 32} bytes as 64 lowercase hex digits. */
    RecordBuffer hex(byte[] h) {
        ensure(h.length * 2);
        for (byte x : h) {
            bytes[length++] = HEX[(x >> 4) & 15];
            bytes[length++] = HEX[x & 15];
        }
        return this;
    }

    /** Appends a JSON string (or {@code null}), escaped as {@link AuditRecords} documents. */
    RecordBuffer string(String s) {
        if (s == null) {
            return put(NULL);
        }
        int n = s.length();
        ensure(n + 2);
        int start = length;
        bytes[length++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                bytes[length++] = (byte) c;
            } else {
                // the rare case: escapes or non-ASCII text, through the String encoder
                length = start;
                return put(AuditRecords.quoted(s).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes[length++] = '"';
        return this;
    }

    /** The bytes {@code [from, to)} as UTF-8 text. */
    String text(int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
}
