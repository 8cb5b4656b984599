package dev.airlock.core.net;

import java.io.ByteArrayOutputStream;

/** Replaces every occurrence of a byte sequence; the forms of a secret to replace. */
final class Redaction {
    /** The shortest base64 run that is redacted: shorter ones would match unrelated text. */
    static final int MIN_ENCODED = 8;

    private Redaction() {}

    /**
     * The forms in which a secret may come back: itself, and its base64 (standard and URL-safe) as
     * it appears inside any base64 text that encodes it, whatever its offset there (so also within
     * {@code base64("user:" + secret)}, a Basic authorization echoed back): for each of the three
     * alignments, the characters that depend on the secret's bytes alone. Longest first.
     */
    static java.util.List<String> forms(String secret) {
        java.util.List<String> out = new java.util.ArrayList<>();
        out.add(secret);
        byte[] s = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int k = 0; k < 3; k++) {
            byte[] padded = new byte[k + s.length];
            System.arraycopy(s, 0, padded, k, s.length);
            String b64 = java.util.Base64.getEncoder().encodeToString(padded);
            int first = k == 0 ? 0 : 1; // the first group holds a byte that is not the secret's
            int end = (k + s.length) / 3; // groups wholly made of the secret's bytes end here
            if (end - first < 1) {
                continue;
            }
            String core = b64.substring(4 * first, 4 * end);
            if (core.length() < MIN_ENCODED) {
                continue;
            }
            for (String form : new String[] {core, core.replace('+', '-').replace('/', '_')}) {
                if (!out.contains(form)) {
                    out.add(form);
                }
            }
        }
        out.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return java.util.List.copyOf(out);
    }

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
