package dev.airlock.skills;

import dev.airlock.audit.store.SkillRecord;
import dev.airlock.skills.Registry.Entry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The registry's rows: made from a checked skill, and read back as entries. */
final class RegistryRows {
    private RegistryRows() {}

    static SkillRecord record(
            Manifest m, Signatures.Verified v, SkillFiles files, Instant installedAt) {
        return new SkillRecord(
                m.name(),
                m.version().toString(),
                m.publisher(),
                v.keyId(),
                v.fingerprint(),
                v.digest(),
                m.entry().kind().id(),
                installedAt,
                new String(files.get(Manifest.FILE), StandardCharsets.UTF_8));
    }

    /** The files as a reproducible archive, as the store keeps them. */
    static byte[] pack(SkillFiles files) throws SkillException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            files.pack(out);
        } catch (IOException e) {
            throw new SkillException(SkillException.Kind.IO, "cannot pack: " + e.getMessage());
        }
        return out.toByteArray();
    }

    static Entry entry(SkillRecord r) {
        return new Entry(
                r.name(),
                r.version(),
                r.publisher(),
                r.keyId(),
                r.fingerprint(),
                r.digest(),
                r.kind(),
                r.installedAt().toString());
    }

    static List<Entry> sorted(List<SkillRecord> rows) {
        List<Entry> out = new ArrayList<>();
        for (SkillRecord r : rows) {
            out.add(entry(r));
        }
        out.sort(Comparator.comparing(Entry::name).thenComparing(e -> version(e.version())));
        return out;
    }

    /** A stored version, parsed (a row edited to hold something else sorts lowest). */
    static Semver version(String text) {
        return Semver.valid(text) ? Semver.parse(text) : Semver.parse("0.0.0-" + "invalid");
    }
}
