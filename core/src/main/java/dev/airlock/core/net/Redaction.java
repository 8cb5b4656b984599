package dev.airlock.core.net;

import java.io.ByteArrayOutputStream;

/** Replaces every occurrence of a byte sequence. */
final class Redaction {
    private Redaction() {}

    static byte[] replace(byte[] data, byte[] find, byte[] with) {
        if (find.length == 0 || data.length < find.length) {
            return data;
        }
        ByteArrayOutputStream out = null;
        int last = 0;
        outer:
        for (int i = 0; i <= data.length - find.length; i++) {
            for (int j = 0; j < find.length; j++) {
                if (data[i + j] != find[j]) {
                    continue outer;
                }
            }
            if (out == null) {
                out = new ByteArrayOutputStream(data.length);
            }
            out.write(data, last, i - last);
            out.write(with, 0, with.length);
            last = i + find.length;
            i = last - 1;
        }
        if (out == null) {
            return data;
        }
        out.write(data, last, data.length - last);
        return out.toByteArray();
    }
}
