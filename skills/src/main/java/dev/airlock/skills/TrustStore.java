package dev.airlock.skills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.AuditKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The publisher keys this installation trusts, each under a publisher name, kept in {@code
 * trust.json} in the skills folder (written atomically). A skill verifies only if its key is here
 * and its manifest names the same publisher.
 */
public final class TrustStore {
    static final String FILE = "trust.json";

    private final Path file;
    private final List<Publisher> publishers;

    /** A trusted key. */
    public record Publisher(String name, String fingerprint, String publicKey) {
        public String keyId() {
            return fingerprint.substring(0, 16);
        }

        PublicKey key() {
            return AuditKeys.decodePublic(publicKey);
        }
    }

    private TrustStore(Path file, List<Publisher> publishers) {
        this.file = file;
        this.publishers = publishers;
    }

    /** Opens the trust store in {@code skillsDir} (empty if there is none yet). */
    public static TrustStore open(Path skillsDir) throws SkillException {
        Path f = skillsDir.resolve(FILE);
        List<Publisher> out = new ArrayList<>();
        if (Files.exists(f)) {
            try {
                JsonNode root =
                        Json.parse(Files.readAllBytes(f), f.toString(), SkillException.Kind.IO);
                for (JsonNode p : root.path("publishers")) {
                    out.add(
                            new Publisher(
                                    p.path("name").asText(),
                                    p.path("fingerprint").asText(),
                                    p.path("publicKey").asText()));
                }
            } catch (IOException e) {
                throw new SkillException(SkillException.Kind.IO, "cannot read " + f, e);
            }
        }
        return new TrustStore(f, out);
    }

    public List<Publisher> publishers() {
        return List.copyOf(publishers);
    }

    /** The publisher whose key has this fingerprint, or {@code null}. */
    public Publisher byFingerprint(String fingerprint) {
        for (Publisher p : publishers) {
            if (p.fingerprint().equals(fingerprint)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Trusts {@code key} (a {@code .pub} file's content) as publisher {@code name}.
     *
     * @throws SkillException {@code INVALID} for a bad key or name, {@code EXISTS} if the key is
     *     trusted already
     */
    public Publisher add(String name, String key) throws SkillException {
        if (name == null || name.isBlank() || name.length() > 128 || name.contains("\n")) {
            throw new SkillException(SkillException.Kind.INVALID, "bad publisher name");
        }
        PublicKey k;
        try {
            k = AuditKeys.decodePublic(key);
        } catch (IllegalArgumentException e) {
            throw new SkillException(SkillException.Kind.INVALID, e.getMessage());
        }
        String fp = AuditKeys.fingerprint(k);
        Publisher had = byFingerprint(fp);
        if (had != null) {
            throw new SkillException(
                    SkillException.Kind.EXISTS,
                    "key " + had.keyId() + " is already trusted as '" + had.name() + "'");
        }
        Publisher p = new Publisher(name, fp, AuditKeys.encodePublic(k));
        publishers.add(p);
        save();
        return p;
    }

    /**
     * Stops trusting the key with this id or fingerprint prefix, or every key of this publisher.
     *
     * @return how many keys were removed
     */
    public int remove(String keyOrName) throws SkillException {
        int before = publishers.size();
        publishers.removeIf(
                p ->
                        p.name().equals(keyOrName)
                                || (keyOrName.length() >= 8
                                        && p.fingerprint().startsWith(keyOrName)));
        int removed = before - publishers.size();
        if (removed > 0) {
            save();
        }
        return removed;
    }

    private void save() throws SkillException {
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("publishers");
        for (Publisher p : publishers) {
            list.addObject()
                    .put("name", p.name())
                    .put("fingerprint", p.fingerprint())
                    .put("publicKey", p.publicKey());
        }
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, (Json.pretty(root) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SkillException(SkillException.Kind.IO, "cannot write " + file, e);
        }
    }
}
