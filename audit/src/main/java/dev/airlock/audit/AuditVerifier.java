package dev.airlock.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Iterator;

/**
 * Checks a trail: every line's hash covers its exact text and the hash of the line before (through
 * {@code prev} in linked lines, through the hash's input in chained ones: see {@link HashChain}),
 * positions rise by one, and every checkpoint's Ed25519 signature holds. Trails of record format 1
 * (every line linked) and 2 (see {@link AuditRecords}), and trails that mix them (a store written
 * by both versions), verify alike, as do format 3 chains of a store's writers (every record names
 * the writer, every checkpoint signs it). A trail must end with a checkpoint: records after the
 * last one are reported as unsealed ({@link Result#unsealed()}). A checkpoint marked {@code
 * "stop":"unclean"} (the mark is signed) sealed the tail of a writer that died; it must be the last
 * record and is reported in {@link Result#recoveredAt()}. A checkpoint signed by another key than
 * the one given is reported naming the key id it names.
 *
 * <p>What it cannot see: a trail cut back to an earlier checkpoint verifies. The store guards
 * against that by keeping the latest checkpoint position separately.
 */
public final class AuditVerifier {
    /**
     * The result.
     *
     * @param ok whether the whole trail holds and ends sealed
     * @param records lines read
     * @param sealedUpTo the position covered by the last valid checkpoint (0 if none)
     * @param brokenSeq the first position that fails, or -1
     * @param brokenLine its line number (1-based), or -1
     * @param reason why it fails, or {@code null}
     * @param recoveredAt the position of the checkpoint that sealed the tail of a writer that
     *     stopped uncleanly ({@code "stop":"unclean"}, always the chain's last record), or -1
     * @param unsealed whether the only fault is a tail of records after the last checkpoint
     *     (nothing broken before it)
     */
    public record Result(
            boolean ok,
            long records,
            long sealedUpTo,
            long brokenSeq,
            long brokenLine,
            String reason,
            long recoveredAt,
            boolean unsealed) {

        /** A result without recovery or unsealed tail. */
        public Result(
                boolean ok,
                long records,
                long sealedUpTo,
                long brokenSeq,
                long brokenLine,
                String reason) {
            this(ok, records, sealedUpTo, brokenSeq, brokenLine, reason, -1, false);
        }
    }

    private AuditVerifier() {}

    /** Verifies a JSON Lines trail file from its first record. */
    public static Result verify(Path file, PublicKey key) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return verify(r.lines().iterator(), key, 0, HashChain.GENESIS);
        }
    }

    /**
     * Verifies lines that continue a chain after position {@code anchorSeq} with hash {@code
     * anchorHash} (0 and {@link HashChain#GENESIS} for a trail from its start).
     */
    public static Result verify(
            Iterator<String> lines, PublicKey key, long anchorSeq, String anchorHash) {
        return verify(lines, key, anchorSeq, anchorHash, null);
    }

    /**
     * As {@link #verify(Iterator, PublicKey, long, String)}, for the chain of {@code writer}: every
     * record must name it ({@code null}: no record may name a writer), and checkpoints sign it. A
     * checkpoint marked {@code "stop":"unclean"} must be the chain's last record.
     */
    public static Result verify(
            Iterator<String> lines,
            PublicKey key,
            long anchorSeq,
            String anchorHash,
            String writer) {
        java.util.Objects.requireNonNull(key, "key");
        return verify(lines, id -> key, anchorSeq, anchorHash, writer);
    }

    /**
     * As {@link #verify(Iterator, PublicKey, long, String, String)}, with each checkpoint checked
     * against the key it names: {@code keys} maps a key id ({@link AuditKeys#keyId}) to its public
     * key, or to {@code null} when it is unknown (the checkpoint then fails). For chains whose
     * checkpoints are signed by several keys (a node's chain sealed by another after a crash).
     */
    public static Result verify(
            Iterator<String> lines,
            java.util.function.Function<String, PublicKey> keys,
            long anchorSeq,
            String anchorHash,
            String writer) {
        String prev = anchorHash;
        long recovered = -1;
        long expected = anchorSeq + 1;
        long lineNo = 0;
        long sealed = anchorSeq;
        boolean sawRecord = false;
        while (lines.hasNext()) {
            String line = lines.next();
            lineNo++;
            if (line.isEmpty() && !lines.hasNext()) {
                break;
            }
            sawRecord = true;
            int mark = line.lastIndexOf(HashChain.HASH_MARK);
            if (mark < 0 || !line.endsWith("\"}")) {
                return broken(
                        sealed, expected, lineNo, "not a sealed record (truncated or edited)");
            }
            String prefix = line.substring(0, mark);
            String hash = line.substring(mark + HashChain.HASH_MARK.length(), line.length() - 2);
            JsonNode n;
            try {
                n = AuditRecords.json().readTree(line);
            } catch (IOException e) {
                return broken(sealed, expected, lineNo, "not valid JSON");
            }
            long seq = n.path("seq").asLong(-1);
            if (recovered >= 0) {
                return broken(
                        sealed,
                        seq,
                        lineNo,
                        "a record follows the checkpoint that closed the chain after an unclean"
                                + " stop (added later)");
            }
            if (seq != expected) {
                return broken(
                        sealed,
                        expected,
                        lineNo,
                        "expected seq "
                                + expected
                                + " but found "
                                + seq
                                + " (dropped or reordered)");
            }
            if (linked(prefix)) {
                if (!prev.equals(n.path("prev").asText())) {
                    return broken(sealed, seq, lineNo, "prev does not match the line before");
                }
                if (!HashChain.sha256(prefix).equals(hash)) {
                    return broken(sealed, seq, lineNo, "hash does not match the content (edited)");
                }
            } else if (!chainedHash(prev, prefix).equals(hash)) {
                return broken(
                        sealed,
                        seq,
                        lineNo,
                        "hash does not match the content and the line before (edited)");
            }
            JsonNode named = n.get("writer");
            if (writer == null ? named != null : named == null || !writer.equals(named.asText())) {
                return broken(
                        sealed,
                        seq,
                        lineNo,
                        "the record names writer "
                                + (named == null ? "none" : printable(named.asText()))
                                + " in the chain of "
                                + (writer == null ? "no writer" : "writer " + writer));
            }
            if ("checkpoint".equals(n.path("type").asText())) {
                long signed = n.path("signed").asLong(-1);
                boolean unclean = n.has("stop");
                if (unclean && !"unclean".equals(n.path("stop").asText())) {
                    return broken(sealed, seq, lineNo, "unknown checkpoint stop mark");
                }
                String message = HashChain.checkpointMessage(writer, signed, prev, unclean);
                PublicKey key = keys.apply(n.path("keyId").asText(""));
                if (key == null) {
                    return broken(
                            sealed,
                            seq,
                            lineNo,
                            "checkpoint signed by key "
                                    + printable(n.path("keyId").asText(""))
                                    + ", whose public key is not known here (not registered in"
                                    + " the store): its signature cannot be checked");
                }
                if (signed != seq - 1 || !AuditKeys.verify(key, message, n.path("sig").asText())) {
                    return broken(sealed, seq, lineNo, signatureFailure(n, key));
                }
                sealed = seq;
                if (unclean) {
                    recovered = seq;
                }
            }
            prev = hash;
            expected++;
        }
        long last = expected - 1;
        if (!sawRecord) {
            return new Result(false, 0, sealed, anchorSeq + 1, 1, "empty trail");
        }
        if (sealed != last) {
            return new Result(
                    false,
                    lineNo,
                    sealed,
                    sealed + 1,
                    -1,
                    "records "
                            + (sealed + 1)
                            + ".."
                            + last
                            + " are not sealed by a checkpoint (truncated trail?)",
                    -1,
                    true);
        }
        return new Result(true, lineNo, sealed, -1, -1, null, recovered, false);
    }

    /**
     * Why a checkpoint's signature fails: the checkpoint names another key than the one given (an
     * intact trail checked with the wrong key), or the signature is wrong.
     */
    private static String signatureFailure(JsonNode checkpoint, PublicKey key) {
        String signer = checkpoint.path("keyId").asText("");
        String given = AuditKeys.keyId(key);
        if (!signer.isEmpty() && !signer.equals(given)) {
            return "checkpoint signed by key "
                    + printable(signer)
                    + ", unknown here (the key given is "
                    + given
                    + "): its signature cannot be checked; verify with the public key of the"
                    + " data folder that wrote the trail";
        }
        return "checkpoint signature does not verify";
    }

    /** A key id as read from a line, cut short and reduced to plain characters. */
    private static String printable(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The hash of a chained line; empty when {@code prev} is not a hash (a damaged anchor). */
    private static String chainedHash(String prev, String prefix) {
        try {
            return prev.length() == 64 ? HashChain.chained(prev, prefix) : "";
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** Whether a line's text before its hash ends with {@code ,"prev":"<64 hex>"}. */
    private static boolean linked(String prefix) {
        int at = prefix.length() - 64 - 1 - HashChain.PREV_MARK.length();
        if (at < 0 || !prefix.startsWith(HashChain.PREV_MARK, at) || !prefix.endsWith("\"")) {
            return false;
        }
        for (int i = at + HashChain.PREV_MARK.length(); i < prefix.length() - 1; i++) {
            if (Character.digit(prefix.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static Result broken(long sealed, long seq, long line, String reason) {
        return new Result(false, line, sealed, seq, line, reason);
    }
}
