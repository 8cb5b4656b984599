package dev.airlock.audit;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Seals JSON records into a chain. Every sealed line ends with {@code ,"hash":"<64 hex>"}}: the
 * SHA-256 that links it to the line before. Two forms of line exist; verifying needs no canonical
 * JSON, the hash covers the exact bytes written:
 *
 * <ul>
 *   <li><b>chained</b> (format 2, host calls and lifecycle steps): the hash is the SHA-256 of the
 *       32 bytes of the previous line's hash followed by the line's text up to (not including)
 *       {@code ,"hash":}. The previous hash is not repeated in the line, which keeps the line (and
 *       the hashing) shorter;
 *   <li><b>linked</b> (checkpoints, and every line of format 1 trails): the line carries {@code
 *       "prev"}, the previous line's hash in hex (64 zeros for the first), as its last field before
 *       {@code hash}, and the hash is the SHA-256 of the line's text up to {@code ,"hash":}. A
 *       linked line can be checked on its own against a known previous hash, as a store's anchor
 *       checkpoint is.
 * </ul>
 *
 * <p>A verifier tells the forms apart by the line's text: a line is linked exactly when its text
 * before {@code ,"hash":} ends with {@code ,"prev":"<64 hex>"}, which a chained record never does
 * (it ends with a number or an object). Either way every hash depends on the one before, so an
 * edited, dropped or reordered line breaks the chain at once.
 */
public final class HashChain {
    /** The {@code prev} of the first line. */
    public static final String GENESIS = "0".repeat(64);

    static final String HASH_MARK = ",\"hash\":\"";

    static final String PREV_MARK = ",\"prev\":\"";

    private static final byte[] PREV_MARK_BYTES = PREV_MARK.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HASH_MARK_BYTES = HASH_MARK.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = {'"', '}'};

    private final MessageDigest digest = newDigest();

    /** The hash of the last sealed line. */
    private final byte[] last = new byte[32];

    private long seq;

    /** The writer whose chain this is, or {@code null} (a trail file: the file is the chain). */
    private final String writer;

    /** {@code ,"writer":"<id>"} as UTF-8, or {@code null}. */
    final byte[] writerField;

    /**
     * A chain that continues after a line with hash {@code last} at position {@code seq}, of no
     * writer (its records carry no {@code writer} field).
     *
     * @throws IllegalArgumentException if {@code last} is not 64 hex digits
     */
    public HashChain(String last, long seq) {
        this(null, last, seq);
    }

    /**
     * A chain of {@code writer} that continues after a line with hash {@code last} at position
     * {@code seq}: every record and checkpoint it seals names the writer, and checkpoints sign it.
     *
     * @param writer the writer id (1 to 64 letters, digits, {@code -} or {@code _}), or {@code
     *     null}
     * @throws IllegalArgumentException if {@code last} is not 64 hex digits or {@code writer} is
     *     not a valid id
     */
    public HashChain(String writer, String last, long seq) {
        if (writer != null && !validWriter(writer)) {
            throw new IllegalArgumentException("not a writer id: " + writer);
        }
        this.writer = writer;
        this.writerField =
                writer == null
                        ? null
                        : (",\"writer\":\"" + writer + "\"").getBytes(StandardCharsets.US_ASCII);
        if (last.length() != 64 || !last.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("not a SHA-256 in hex: " + last);
        }
        System.arraycopy(HexFormat.of().parseHex(last), 0, this.last, 0, 32);
        this.seq = seq;
    }

    public static HashChain start() {
        return new HashChain(GENESIS, 0);
    }

    /** Whether {@code id} is a valid writer id: 1 to 64 letters, digits, {@code -} or {@code _}. */
    public static boolean validWriter(String id) {
        return id != null && id.matches("[A-Za-z0-9_-]{1,64}");
    }

    /** The writer whose chain this is, or {@code null}. */
    public String writer() {
        return writer;
    }

    /** The hash of the last sealed line. */
    public String last() {
        return HexFormat.of().formatHex(last);
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
     * minus the {@code }}, as a linked line; it must contain the {@code seq} that {@link #next()}
     * returned.
     */
    public String seal(String openJson) {
        RecordBuffer b = new RecordBuffer(openJson.length() + 160);
        b.put(openJson.getBytes(StandardCharsets.UTF_8));
        sealLinked(b, 0);
        return b.text(0, b.length);
    }

    /**
     * Seals the record whose unsealed UTF-8 bytes run from {@code start} to the end of {@code b} as
     * a chained line: hashes the previous hash and the bytes in place (no copy), appends {@code
     * hash} and the closing brace.
     */
    void seal(RecordBuffer b, int start) {
        digest.update(last, 0, 32);
        digest.update(b.bytes, start, b.length - start);
        finish(b);
    }

    /** As {@link #seal(RecordBuffer, int)}, as a linked line: appends {@code prev} first. */
    void sealLinked(RecordBuffer b, int start) {
        b.put(PREV_MARK_BYTES).hex(last).put('"');
        digest.update(b.bytes, start, b.length - start);
        finish(b);
    }

    private void finish(RecordBuffer b) {
        try {
            digest.digest(last, 0, 32);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        b.put(HASH_MARK_BYTES).hex(last).put(END);
        seq++;
    }

    /** SHA-256 of the UTF-8 bytes of {@code text}, in hex. */
    public static String sha256(String text) {
        return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The hash of a chained line: SHA-256 of the 32 bytes of {@code prevHex} and the UTF-8 bytes of
     * {@code text} (the line up to {@code ,"hash":}), in hex.
     */
    public static String chained(String prevHex, String text) {
        MessageDigest d = newDigest();
        d.update(HexFormat.of().parseHex(prevHex));
        return HexFormat.of().formatHex(d.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest newDigest() {
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

    /**
     * What a checkpoint of a writer's chain signs: as {@link #checkpointMessage(long, String)},
     * then the writer (when there is one) and, for a checkpoint that seals the tail of a writer
     * that stopped uncleanly, that mark: neither can be moved to another chain or dropped.
     */
    public static String checkpointMessage(String writer, long seq, String hash, boolean unclean) {
        return checkpointMessage(seq, hash)
                + (writer == null ? "" : "\nwriter:" + writer)
                + (unclean ? "\nstop:unclean" : "");
    }
}
