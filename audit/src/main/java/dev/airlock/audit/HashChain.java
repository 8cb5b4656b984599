package dev.airlock.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Seals JSON records into a chain. A sealed line is the record's JSON object with two fields added
 * at its end: {@code "prev"}, the hash of the line before (64 zeros for the first), and {@code
 * "hash"}, the SHA-256 of the line's text up to (not including) {@code ,"hash":}. Verifying needs
 * no canonical JSON: the hash covers the exact bytes written.
 */
public final class HashChain {
    /** The {@code prev} of the first line. */
    public static final String GENESIS = "0".repeat(64);

    static final String HASH_MARK = ",\"hash\":\"";

    private final MessageDigest digest = newDigest();
    private String last;
    private long seq;

    /** A chain that continues after a line with hash {@code last} at position {@code seq}. */
    public HashChain(String last, long seq) {
        this.last = last;
        this.seq = seq;
    }

    public static HashChain start() {
        return new HashChain(GENESIS, 0);
    }

    /** The hash of the last sealed line. */
    public String last() {
        return last;
    }

    /** The position of the last sealed line (0 before the first). */
    public long seq() {
        return seq;
    }

    /** The position the next line will take. */
    public long next() {
        return seq + 1;
    }

    /**
     * Seals a record given as JSON text without its closing brace, such as {@code {"seq":1,...}}
     * minus the {@code }}; it must contain the {@code seq} that {@link #next()} returned.
     */
    public String seal(String openJson) {
        return seal(new StringBuilder(openJson.length() + 160).append(openJson));
    }

    /** As {@link #seal(String)}, for a record being built in {@code open}, which it completes. */
    public String seal(StringBuilder open) {
        String prefix = open.append(",\"prev\":\"").append(last).append('"').toString();
        // all-ASCII strings (the usual case) encode with an intrinsic copy
        byte[] h = digest.digest(prefix.getBytes(StandardCharsets.UTF_8));
        char[] hex = new char[64];
        for (int i = 0; i < 32; i++) {
            hex[2 * i] = HEX[(h[i] >> 4) & 15];
            hex[2 * i + 1] = HEX[h[i] & 15];
        }
        last = new String(hex);
        seq++;
        return open.append(HASH_MARK).append(hex).append("\"}").toString();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** SHA-256 of the UTF-8 bytes of {@code text}, in hex. */
    public static String sha256(String text) {
        return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a checkpoint signs: the chain position and the hash it vouches for. */
    public static String checkpointMessage(long seq, String hash) {
        return "airlock-audit-checkpoint\nseq:" + seq + "\nhash:" + hash;
    }
}
