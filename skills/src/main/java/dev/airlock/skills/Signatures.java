package dev.airlock.skills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.AuditKeys;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Signing and verifying a skill. The signed message is {@code airlock-skill-v1 DIGEST}, where
 * DIGEST is the hex SHA-256 of the listing {@code SHA256 PATH\n} of every file but {@code
 * signature.json}, in path order: one changed byte, one file added, removed or renamed, or a
 * manifest swapped for another changes it. {@code signature.json} also carries the listing itself,
 * so a refusal can name the file that changed.
 */
public final class Signatures {
    static final String FORMAT = "airlock-skill-signature-v1";
    private static final String PREFIX = "airlock-skill-v1 ";

    private Signatures() {}

    /** What a valid signature says. */
    public record Verified(String keyId, String fingerprint, String publisher, String digest) {}

    /** The listing of {@code files} (path to SHA-256), the signature excluded. */
    static TreeMap<String, String> listing(SkillFiles files) {
        TreeMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, byte[]> f : files.files().entrySet()) {
            if (!f.getKey().equals(SkillFiles.SIGNATURE)) {
                out.put(f.getKey(), SkillFiles.sha256(f.getValue()));
            }
        }
        return out;
    }

    /** The digest of a listing. */
    static String digest(Map<String, String> listing) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(listing).entrySet()) {
            sb.append(e.getValue()).append(' ').append(e.getKey()).append('\n');
        }
        return SkillFiles.sha256(sb.toString());
    }

    /** The digest of a skill's files, which identifies its content. */
    public static String digest(SkillFiles files) {
        return digest(listing(files));
    }

    /**
     * Signs the skill: validates its manifest, then returns the files with a new {@code
     * signature.json}.
     */
    public static SkillFiles sign(SkillFiles files, AuditKeys key) throws SkillException {
        files.manifest();
        TreeMap<String, String> listing = listing(files);
        String digest = digest(listing);
        ObjectNode sig = Json.object();
        sig.put("format", FORMAT);
        sig.put("algorithm", "Ed25519");
        sig.put("keyId", key.keyId());
        sig.put("fingerprint", AuditKeys.fingerprint(key.publicKey()));
        sig.put("publicKey", AuditKeys.encodePublic(key.publicKey()));
        sig.put("digest", digest);
        sig.set("files", Json.MAPPER.valueToTree(listing));
        sig.put("signature", key.sign(PREFIX + digest));
        byte[] bytes = (Json.pretty(sig) + "\n").getBytes(StandardCharsets.UTF_8);
        return files.with(SkillFiles.SIGNATURE, bytes);
    }

    /**
     * Verifies the skill against the trust store: a signature is present and well-formed, the files
     * are those signed, the key is trusted, the signature holds, and the manifest's publisher is
     * the name the key is trusted under.
     *
     * @throws SkillException {@code UNSIGNED}, {@code TAMPERED}, {@code UNTRUSTED} or {@code
     *     INVALID}, one line naming the problem
     */
    public static Verified verify(SkillFiles files, TrustStore trust) throws SkillException {
        Manifest manifest;
        byte[] raw = files.get(SkillFiles.SIGNATURE);
        if (raw == null) {
            throw new SkillException(
                    SkillException.Kind.UNSIGNED,
                    "no " + SkillFiles.SIGNATURE + " (sign it with 'airlock skill sign')");
        }
        JsonNode sig = Json.parse(raw, SkillFiles.SIGNATURE, SkillException.Kind.TAMPERED);
        if (!sig.isObject()) {
            throw tampered(SkillFiles.SIGNATURE + " is not a JSON object");
        }
        try {
            Json.onlyKeys(
                    sig,
                    SkillFiles.SIGNATURE,
                    Set.of(
                            "format",
                            "algorithm",
                            "keyId",
                            "fingerprint",
                            "publicKey",
                            "digest",
                            "files",
                            "signature"));
        } catch (SkillException e) {
            throw tampered(e.getMessage());
        }
        if (!FORMAT.equals(sig.path("format").asText())
                || !"Ed25519".equals(sig.path("algorithm").asText())) {
            throw tampered(SkillFiles.SIGNATURE + ": unknown format or algorithm");
        }
        String fingerprint = sig.path("fingerprint").asText("");
        String signed = sig.path("digest").asText("");
        String signature = sig.path("signature").asText("");
        TreeMap<String, String> now = listing(files);
        JsonNode listed = sig.get("files");
        if (listed != null && listed.isObject()) {
            String changed = firstDifference(listed, now);
            if (changed != null) {
                throw tampered(changed + " since signing");
            }
        }
        String digest = digest(now);
        if (!digest.equals(signed)) {
            throw tampered("the files do not match the signed digest");
        }
        TrustStore.Publisher p = trust.byFingerprint(fingerprint);
        if (p == null) {
            String id = fingerprint.length() >= 16 ? fingerprint.substring(0, 16) : fingerprint;
            throw new SkillException(
                    SkillException.Kind.UNTRUSTED,
                    "key "
                            + id
                            + " is not in the trust store (add the publisher's key with 'airlock skill trust add')");
        }
        PublicKey key = p.key();
        if (!AuditKeys.verify(key, PREFIX + digest, signature)) {
            throw tampered("the signature does not verify with key " + p.keyId());
        }
        manifest = files.manifest();
        if (!manifest.publisher().equals(p.name())) {
            throw new SkillException(
                    SkillException.Kind.UNTRUSTED,
                    "skill.json names publisher '"
                            + manifest.publisher()
                            + "' but key "
                            + p.keyId()
                            + " is trusted as '"
                            + p.name()
                            + "'");
        }
        return new Verified(p.keyId(), p.fingerprint(), p.name(), digest);
    }

    private static String firstDifference(JsonNode listed, TreeMap<String, String> now) {
        for (Iterator<Map.Entry<String, JsonNode>> it = listed.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String have = now.get(e.getKey());
            if (have == null) {
                return e.getKey() + " was removed";
            }
            if (!have.equals(e.getValue().asText())) {
                return e.getKey() + " changed";
            }
        }
        for (String path : now.keySet()) {
            if (!listed.has(path)) {
                return path + " was added";
            }
        }
        return null;
    }

    private static SkillException tampered(String what) {
        return new SkillException(SkillException.Kind.TAMPERED, what);
    }
}
