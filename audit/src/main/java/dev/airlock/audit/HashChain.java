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

    private static final byte[] PREV_MARK = ",\"prev\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HASH_MARK_BYTES = HASH_MARK.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = {'"', '}'};

    private final MessageDigest digest = newDigest();
    private final byte[] hash = new byte[32];

    /** The hash of the last sealed line, as 64 ASCII hex digits. */
    private final byte[] lastHex = new byte[64];

    private long seq;

    /**
     * A chain that continues after a line with hash {@code last} at position {@code seq}.
     *
     * @throws IllegalArgumentException if {@code last} is not 64 hex digits
     */
    public HashChain(String last, long seq) {
        if (last.length() != 64 || !last.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("not a SHA-256 in hex: " + last);
        }
        last.getBytes(0, 64, lastHex, 0);
        this.seq = seq;
    }

    public static HashChain start() {
        return new HashChain(GENESIS, 0);
    }

    /** The hash of the last sealed line. */
    public String last() {
        return new String(lastHex, StandardCharsets.ISO_8859_1);
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
        RecordBuffer b = new RecordBuffer(openJson.length() + 160);
        b.put(openJson.getBytes(StandardCharsets.UTF_8));
        seal(b, 0);
        return b.text(0, b.length);
    }

    /**
     * Seals the record whose unsealed UTF-8 bytes run from {@code start} to the end of {@code b}:
     * appends {@code prev}, hashes, appends {@code hash} and the closing brace. The hashing happens
     * on the bytes in place, with no copy.
     */
    void seal(RecordBuffer b, int start) {
        b.put(PREV_MARK).put(lastHex).put('"');
        digest.update(b.bytes, start, b.length - start);
        try {
            digest.digest(hash, 0, 32);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        b.put(HASH_MARK_BYTES);
        int at = b.length;
        b.hex(hash).put(END);
        System.arraycopy(b.bytes, at, lastHex, 0, 64);
        seq++;
    }

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
