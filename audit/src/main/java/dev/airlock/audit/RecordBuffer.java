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
        int n = b.length;
        ensure(n);
        if (n <= 16) {
            byte[] buf = bytes;
            int p = length;
            for (int i = 0; i < n; i++) {
                buf[p + i] = b[i];
            }
        } else {
            System.arraycopy(b, 0, bytes, length, n);
        }
        length += n;
        return this;
    }

    /** Appends a decimal number, as {@link Long#toString(long)} writes it. */
    RecordBuffer number(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return ascii(Long.toString(v));
            }
            put('-');
            v = -v;
        }
        if (v < 10) {
            return put((char) ('0' + v));
        }
        int digits = 2;
        long p = 100;
        while (digits < 19 && v >= p) {
            digits++;
            p *= 10;
        }
        ensure(digits);
        byte[] buf = bytes;
        int i = length + digits;
        length = i;
        // two digits per step, in int arithmetic once the value fits
        while (v > Integer.MAX_VALUE) {
            long q = v / 100;
            int r = (int) (v - q * 100);
            buf[--i] = DIGIT_ONES[r];
            buf[--i] = DIGIT_TENS[r];
            v = q;
        }
        int w = (int) v;
        while (w >= 100) {
            int q = w / 100;
            int r = w - q * 100;
            buf[--i] = DIGIT_ONES[r];
            buf[--i] = DIGIT_TENS[r];
            w = q;
        }
        buf[--i] = DIGIT_ONES[w];
        if (w >= 10) {
            buf[--i] = DIGIT_TENS[w];
        }
        return this;
    }

    private static final byte[] DIGIT_TENS = new byte[100];
    private static final byte[] DIGIT_ONES = new byte[100];

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_TENS[i] = (byte) ('0' + i / 10);
            DIGIT_ONES[i] = (byte) ('0' + i % 10);
        }
    }

    /** Two hex digits for every byte value, at {@code 2 * (b & 0xff)}. */
    private static final byte[] HEX_PAIRS = new byte[512];

    static {
        for (int i = 0; i < 256; i++) {
            HEX_PAIRS[2 * i] = HEX[i >> 4];
            HEX_PAIRS[2 * i + 1] = HEX[i & 15];
        }
    }

    /** Appends {@code h} as lowercase hex digits (two per byte). */
    RecordBuffer hex(byte[] h) {
        int n = h.length;
        ensure(n * 2);
        byte[] buf = bytes;
        int p = length;
        for (int i = 0; i < n; i++) {
            int v = (h[i] & 0xff) << 1;
            buf[p] = HEX_PAIRS[v];
            buf[p + 1] = HEX_PAIRS[v + 1];
            p += 2;
        }
        length = p;
        return this;
    }

    private long lastTime = Long.MIN_VALUE;
    private final byte[] lastTimeBytes = new byte[20];
    private int lastTimeLength;

    /**
     * As {@link #number}, for times in milliseconds: consecutive records mostly share one, whose
     * digits are kept.
     */
    RecordBuffer time(long millis) {
        if (millis != lastTime) {
            int start = length;
            number(millis);
            lastTimeLength = length - start;
            System.arraycopy(bytes, start, lastTimeBytes, 0, lastTimeLength);
            lastTime = millis;
            return this;
        }
        int n = lastTimeLength;
        ensure(n);
        System.arraycopy(lastTimeBytes, 0, bytes, length, n);
        length += n;
        return this;
    }

    private String prefixRun;
    private String prefixSession;
    private byte[] prefix;

    /**
     * Appends {@code head}, the run id as a JSON string, and {@code sessionHead} and the session id
     * when there is one; the bytes of the last run and session are kept (a run's records follow
     * each other).
     */
    RecordBuffer run(byte[] head, String runId, byte[] sessionHead, String sessionId) {
        if (runId != prefixRun || sessionId != prefixSession || prefix == null) {
            int start = length;
            put(head).string(runId);
            if (sessionId != null) {
                put(sessionHead).string(sessionId);
            }
            prefix = Arrays.copyOfRange(bytes, start, length);
            prefixRun = runId;
            prefixSession = sessionId;
            return this;
        }
        return put(prefix);
    }

    /** Appends a JSON string (or {@code null}), escaped as {@link AuditRecords} documents. */
    RecordBuffer string(String s) {
        if (s == null) {
            return put(NULL);
        }
        int n = s.length();
        ensure(n + 2);
        byte[] buf = bytes;
        int p = length;
        buf[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                // the rare case: escapes or non-ASCII text, through the String encoder
                return put(AuditRecords.quoted(s).getBytes(StandardCharsets.UTF_8));
            }
            buf[p++] = (byte) c;
        }
        buf[p++] = '"';
        length = p;
        return this;
    }

    private final String[] cachedKeys = new String[CACHE];
    private final byte[][] cachedBytes = new byte[CACHE][];
    private static final int CACHE = 256;

    /**
     * As {@link #string}, for strings that recur from record to record (run ids, module hashes,
     * call and rule names, argument names): their encoded form is kept in a small cache.
     */
    RecordBuffer recurring(String s) {
        if (s == null) {
            return put(NULL);
        }
        int slot = s.hashCode() & (CACHE - 1);
        String k = cachedKeys[slot];
        if (k == s || k != null && k.equals(s)) {
            return put(cachedBytes[slot]);
        }
        int start = length;
        string(s);
        if (s.length() <= 256) {
            cachedBytes[slot] = Arrays.copyOfRange(bytes, start, length);
            cachedKeys[slot] = s;
        }
        return this;
    }

    /** The bytes {@code [from, to)} as UTF-8 text. */
    String text(int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
}
