package dev.airlock.audit.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One installed version of a skill as the store keeps it (the {@code skills} table), without its
 * archive. What the fields mean is the skill registry's business; the store only keeps them.
 *
 * @param name the skill's name
 * @param version its version
 * @param publisher the publisher its key is trusted as
 * @param keyId the publisher key's id
 * @param fingerprint the publisher key's fingerprint
 * @param digest the digest its signature covers
 * @param kind its entry's kind
 * @param installedAt when it was installed (kept to the millisecond)
 * @param manifest its manifest, as text
 */
public record SkillRecord(
        String name,
        String version,
        String publisher,
        String keyId,
        String fingerprint,
        String digest,
        String kind,
        Instant installedAt,
        String manifest) {
    public SkillRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(kind, "kind");
        installedAt = Instant.ofEpochMilli(installedAt.toEpochMilli());
        Objects.requireNonNull(manifest, "manifest");
    }
}
