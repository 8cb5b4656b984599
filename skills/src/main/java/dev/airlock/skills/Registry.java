package dev.airlock.skills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.core.Airlock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Installed skills, in the data folder's {@code skills/}: each version's files under {@code
 * installed/NAME/VERSION/}, and {@code index.json} (written atomically, under a file lock) listing
 * them with their publisher and digest. Files are verified again each time a skill is taken out, so
 * a skill changed at rest or whose key is no longer trusted does not run.
 */
public final class Registry {
    /** Every tenant: the visibility of a skill installed for all (the default). */
    public static final String ALL_TENANTS = "*";

    private static final java.util.regex.Pattern TENANT =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final Path dir;

    /** One installed version. */
    public record Entry(
            String name,
            String version,
            String publisher,
            String keyId,
            String fingerprint,
            String digest,
            String kind,
            String installedAt) {}

    /** An installed skill taken out and verified again. */
    public record Installed(Entry entry, SkillFiles files, Path dir, SkillCheck.Checked checked) {}

    private Registry(Path dir) {
        this.dir = dir;
    }

    /** The registry in {@code dataDir/skills}. */
    public static Registry open(Path dataDir) {
        return new Registry(dataDir.resolve("skills"));
    }

    public Path dir() {
        return dir;
    }

    /** The publisher keys' folder (private keys made by {@code keys create}). */
    public Path keysDir() {
        return dir.resolve("keys");
    }

    public TrustStore trust() throws SkillException {
        return TrustStore.open(dir);
    }

    /**
     * Installs a skill after {@linkplain SkillCheck#check checking} it. Refuses a version lower
     * than the highest installed unless {@code allowDowngrade}, and a version already installed.
     */
    public Entry install(SkillFiles files, boolean allowDowngrade, Airlock airlock)
            throws SkillException {
        SkillCheck.Checked c = SkillCheck.check(files, trust(), airlock);
        Manifest m = c.manifest();
        try (Lock lock = lock()) {
            List<Entry> all = list();
            for (Entry e : all) {
                if (!e.name().equals(m.name())) {
                    continue;
                }
                int cmp = Semver.parse(e.version()).compareTo(m.version());
                if (cmp == 0) {
                    throw new SkillException(
                            SkillException.Kind.EXISTS,
                            m.name() + "@" + m.version() + " is already installed");
                }
                if (cmp > 0 && !allowDowngrade) {
                    throw new SkillException(
                            SkillException.Kind.DOWNGRADE,
                            m.name()
                                    + "@"
                                    + m.version()
                                    + " is older than the installed "
                                    + e.version()
                                    + " (--allow-downgrade installs it anyway)");
                }
            }
            Path target = versionDir(m.name(), m.version().toString());
            Path tmp = Files.createTempDirectory(dir, ".install-");
            try {
                files.writeTo(tmp.resolve("files"));
                Files.createDirectories(target.getParent());
                Files.move(tmp.resolve("files"), target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                deleteTree(tmp);
            }
            Entry e =
                    new Entry(
                            m.name(),
                            m.version().toString(),
                            m.publisher(),
                            c.signature().keyId(),
                            c.signature().fingerprint(),
                            c.signature().digest(),
                            m.entry().kind().id(),
                            Instant.now().toString());
            all.add(e);
            save(all);
            return e;
        } catch (IOException e) {
            throw new SkillException(SkillException.Kind.IO, "cannot install: " + e.getMessage());
        }
    }

    /** Every installed version, by name then version. */
    public List<Entry> list() throws SkillException {
        Path f = dir.resolve("index.json");
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(f)) {
            return out;
        }
        try {
            JsonNode root = Json.parse(Files.readAllBytes(f), f.toString(), SkillException.Kind.IO);
            for (JsonNode n : root.path("skills")) {
                out.add(Json.MAPPER.treeToValue(n, Entry.class));
            }
        } catch (IOException e) {
            throw new SkillException(SkillException.Kind.IO, "cannot read " + f, e);
        }
        out.sort(Comparator.comparing(Entry::name).thenComparing(e -> Semver.parse(e.version())));
        return out;
    }

    /**
     * Takes out {@code name} at {@code version} (the highest installed if {@code null}), verified
     * and checked again.
     */
    public Installed get(String name, String version, Airlock airlock) throws SkillException {
        Entry found = find(name, version);
        Path d = versionDir(found.name(), found.version());
        SkillFiles files = SkillFiles.readFolder(d);
        SkillCheck.Checked c = SkillCheck.check(files, trust(), airlock);
        if (!c.signature().digest().equals(found.digest())) {
            throw new SkillException(
                    SkillException.Kind.TAMPERED,
                    name + "@" + found.version() + ": installed files differ from those installed");
        }
        return new Installed(found, files, d, c);
    }

    /** The index entry of {@code name} at {@code version} (the highest if {@code null}). */
    public Entry find(String name, String version) throws SkillException {
        Entry found = null;
        for (Entry e : list()) {
            if (e.name().equals(name) && (version == null || e.version().equals(version))) {
                found = e;
            }
        }
        if (found == null) {
            throw new SkillException(
                    SkillException.Kind.NOT_FOUND,
                    name + (version == null ? "" : "@" + version) + " is not installed");
        }
        return found;
    }

    /**
     * Removes {@code name} at {@code version}, or every version if {@code null}.
     *
     * @return the versions removed
     */
    public List<Entry> remove(String name, String version) throws SkillException {
        try (Lock lock = lock()) {
            List<Entry> all = list();
            List<Entry> gone = new ArrayList<>();
            for (Entry e : all) {
                if (e.name().equals(name) && (version == null || e.version().equals(version))) {
                    gone.add(e);
                }
            }
            if (gone.isEmpty()) {
                throw new SkillException(
                        SkillException.Kind.NOT_FOUND,
                        name + (version == null ? "" : "@" + version) + " is not installed");
            }
            all.removeAll(gone);
            save(all);
            if (all.stream().noneMatch(e -> e.name().equals(name))) {
                Map<String, List<String>> vis = visibility();
                if (vis.remove(name) != null) {
                    saveVisibility(vis);
                }
            }
            for (Entry e : gone) {
                deleteTree(versionDir(e.name(), e.version()));
            }
            Path nameDir = dir.resolve("installed").resolve(name);
            try (Stream<Path> s = Files.list(nameDir)) {
                if (s.findAny().isEmpty()) {
                    Files.delete(nameDir);
                }
            }
            return gone;
        } catch (IOException e) {
            throw new SkillException(SkillException.Kind.IO, "cannot remove: " + e.getMessage());
        }
    }

    /**
     * Who sees which skill on a server serving this registry: skill name to tenant names ({@link
     * #ALL_TENANTS} for every tenant); a skill not listed is seen by every tenant.
     *
     * @throws SkillException {@code IO} if the visibility file cannot be read
     */
    public Map<String, List<String>> visibility() throws SkillException {
        Path f = dir.resolve("visibility.json");
        Map<String, List<String>> out = new java.util.TreeMap<>();
        if (!Files.exists(f)) {
            return out;
        }
        try {
            JsonNode root = Json.parse(Files.readAllBytes(f), f.toString(), SkillException.Kind.IO);
            root.fields()
                    .forEachRemaining(
                            en -> {
                                List<String> ts = new ArrayList<>();
                                en.getValue().forEach(t -> ts.add(t.asText()));
                                out.put(en.getKey(), ts);
                            });
        } catch (IOException e) {
            throw new SkillException(SkillException.Kind.IO, "cannot read " + f, e);
        }
        return out;
    }

    /**
     * Makes the installed skill {@code name} (all its versions) seen by {@code tenants} only
     * ({@link #ALL_TENANTS}, or an empty list, for every tenant).
     *
     * @throws SkillException {@code INPUT} for a bad tenant name, {@code NOT_FOUND} if the skill is
     *     not installed, {@code IO} if the file cannot be written
     * @return the tenants, sorted, without duplicates
     */
    public List<String> visibleTo(String name, List<String> tenants) throws SkillException {
        List<String> ts = tenants(tenants);
        try (Lock lock = lock()) {
            find(name, null);
            Map<String, List<String>> vis = visibility();
            vis.put(name, ts);
            saveVisibility(vis);
            return ts;
        } catch (IOException e) {
            throw new SkillException(SkillException.Kind.IO, "cannot write: " + e.getMessage());
        }
    }

    /**
     * {@code tenants} checked and normalised: sorted, without duplicates, {@link #ALL_TENANTS}
     * alone for every tenant (also for an empty list).
     *
     * @throws SkillException {@code INPUT} for a bad tenant name
     */
    public static List<String> tenants(List<String> tenants) throws SkillException {
        java.util.TreeSet<String> ts = new java.util.TreeSet<>();
        for (String t : tenants) {
            if (!t.equals(ALL_TENANTS) && !TENANT.matcher(t).matches()) {
                throw new SkillException(
                        SkillException.Kind.INPUT,
                        "bad tenant name '"
                                + (t.length() > 64 ? t.substring(0, 64) + "..." : t)
                                + "'");
            }
            ts.add(t);
        }
        if (ts.isEmpty() || ts.contains(ALL_TENANTS)) {
            return List.of(ALL_TENANTS);
        }
        return List.copyOf(ts);
    }

    private void saveVisibility(Map<String, List<String>> all) throws IOException {
        ObjectNode root = Json.object();
        all.forEach(
                (k, v) -> {
                    ArrayNode a = root.putArray(k);
                    v.forEach(a::add);
                });
        AtomicFiles.write(
                dir.resolve("visibility.json"),
                (Json.pretty(root) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private Path versionDir(String name, String version) throws SkillException {
        if (!Manifest.NAME.matcher(name).matches() || !Semver.valid(version)) {
            throw new SkillException(
                    SkillException.Kind.NOT_FOUND, "no skill " + name + "@" + version);
        }
        return dir.resolve("installed").resolve(name).resolve(version);
    }

    private void save(List<Entry> all) throws IOException {
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("skills");
        for (Entry e : all) {
            list.add(Json.MAPPER.valueToTree(e));
        }
        AtomicFiles.write(
                dir.resolve("index.json"),
                (Json.pretty(root) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private Lock lock() throws IOException {
        Files.createDirectories(dir);
        FileChannel ch =
                FileChannel.open(
                        dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        return new Lock(ch, ch.lock());
    }

    private record Lock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            lock.release();
            channel.close();
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
