package dev.airlock.skills;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.audit.store.InstalledSkills;
import dev.airlock.audit.store.SkillRecord;
import dev.airlock.audit.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The import of skills installed by earlier versions, which kept them as files: {@code
 * skills/installed/NAME/VERSION/}, listed in {@code skills/index.json}, with {@code
 * skills/visibility.json}. When {@code index.json} exists and the store holds no skill, each listed
 * skill is verified (its signature by a trusted key, the digest and the name and version listed)
 * and imported with its visibility in one transaction; those that fail are skipped and reported.
 * Then {@code index.json} (and {@code visibility.json}) are renamed {@code *.imported}. The old
 * folders are left as they were.
 */
final class LegacyIndex {
    static final String INDEX = "index.json";
    static final String VISIBILITY = "visibility.json";
    static final String DONE = ".imported";

    private LegacyIndex() {}

    /**
     * Imports the earlier installs in {@code skillsDir} into {@code skills} if there are some and
     * the store holds none.
     *
     * @return what to tell the user (empty when there was nothing to import)
     */
    static List<String> importInto(Path skillsDir, TrustStore trust, InstalledSkills skills)
            throws StoreException {
        Path index = skillsDir.resolve(INDEX);
        if (!Files.isRegularFile(index, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        if (!skills.isEmpty()) {
            return List.of(
                    index
                            + " was not imported: the store already holds skills (install them"
                            + " again, or rename the file to stop this notice)");
        }
        List<String> notes = new ArrayList<>();
        JsonNode listed;
        try {
            listed = Json.parse(Files.readAllBytes(index), INDEX, SkillException.Kind.IO);
        } catch (IOException | SkillException e) {
            return List.of("cannot import " + index + ": " + e.getMessage());
        }
        List<InstalledSkills.Stored> stored = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (JsonNode n : listed.path("skills")) {
            String name = n.path("name").asText("");
            String version = n.path("version").asText("");
            try {
                stored.add(verified(skillsDir, n, name, version, trust));
                names.add(name);
            } catch (SkillException e) {
                notes.add(
                        "not imported from "
                                + INDEX
                                + ": "
                                + name
                                + "@"
                                + version
                                + ": "
                                + e.line());
            }
        }
        Map<String, List<String>> visibility = new TreeMap<>();
        Path vis = skillsDir.resolve(VISIBILITY);
        if (Files.isRegularFile(vis, LinkOption.NOFOLLOW_LINKS)) {
            try {
                JsonNode root =
                        Json.parse(Files.readAllBytes(vis), VISIBILITY, SkillException.Kind.IO);
                for (String name : names) {
                    JsonNode ts = root.get(name);
                    if (ts != null && ts.isArray()) {
                        List<String> list = new ArrayList<>();
                        ts.forEach(t -> list.add(t.asText()));
                        visibility.put(name, Registry.tenants(list));
                    }
                }
            } catch (IOException | SkillException e) {
                // seen by nobody but admins rather than by everybody: not imported at all
                return List.of("cannot import " + vis + ": " + e.getMessage());
            }
        }
        if (!skills.importIfEmpty(stored, visibility)) {
            return List.of(); // another process imported them just now
        }
        notes.add(
                0,
                "imported "
                        + stored.size()
                        + " installed skill version(s) from "
                        + index
                        + " into the store (the file is now "
                        + INDEX
                        + DONE
                        + ")");
        try {
            for (Path f : List.of(index, vis)) {
                if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(
                            f,
                            f.resolveSibling(f.getFileName() + DONE),
                            StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            notes.add("cannot rename " + index + ": " + e.getMessage());
        }
        return notes;
    }

    private static InstalledSkills.Stored verified(
            Path skillsDir, JsonNode n, String name, String version, TrustStore trust)
            throws SkillException {
        if (!Manifest.isName(name) || !Semver.valid(version)) {
            throw new SkillException(SkillException.Kind.INVALID, "not a skill name and version");
        }
        SkillFiles files =
                SkillFiles.readFolder(
                        skillsDir.resolve("installed").resolve(name).resolve(version));
        Signatures.Verified v = Signatures.verify(files, trust);
        Manifest m = files.manifest();
        if (!v.digest().equals(n.path("digest").asText())
                || !m.name().equals(name)
                || !m.version().toString().equals(version)) {
            throw new SkillException(
                    SkillException.Kind.TAMPERED, "installed files differ from those installed");
        }
        Instant at;
        try {
            at = Instant.parse(n.path("installedAt").asText());
        } catch (DateTimeParseException e) {
            at = Instant.now();
        }
        SkillRecord r = RegistryRows.record(m, v, files, at);
        return new InstalledSkills.Stored(r, RegistryRows.pack(files));
    }
}
