package dev.airlock.skills;

import dev.airlock.audit.store.InstalledSkills;
import dev.airlock.audit.store.SkillRecord;
import dev.airlock.audit.store.Store;
import dev.airlock.audit.store.StoreException;
import dev.airlock.core.Airlock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Installed skills, kept in the data folder's store (SQLite, or a PostgreSQL database that several
 * servers share): one row per version with its signed archive, and which tenants see each skill.
 * Every change is one transaction. A skill is verified again each time it is taken out, from its
 * archive in the store, and its files are put in a private cache folder ({@code
 * skills/cache/DIGEST/}, written atomically) that is verified too: a skill changed at rest, in the
 * store or in the cache, or whose key is no longer trusted, does not run. The trust store and the
 * publisher keys stay in the data folder's {@code skills/}. Installs kept by earlier versions in
 * {@code skills/index.json} are imported on first use (see {@link LegacyIndex}).
 */
public final class Registry {
    /** Every tenant: the visibility of a skill installed for all (the default). */
    public static final String ALL_TENANTS = "*";

    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final Path dataDir;
    private final Path dir;
    private final Store shared;
    private final SkillCache cache;
    private volatile Consumer<String> notices = n -> {};
    private volatile boolean legacyChecked;

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

    /**
     * An installed skill taken out and verified again.
     *
     * @param dir the verified folder of its files (in the cache)
     */
    public record Installed(Entry entry, SkillFiles files, Path dir, SkillCheck.Checked checked) {}

    private Registry(Path dataDir, Store shared) {
        this.dataDir = dataDir;
        this.dir = dataDir.resolve("skills");
        this.shared = shared;
        this.cache = new SkillCache(dir.resolve("cache"));
    }

    /**
     * The registry in the store of {@code dataDir} (its SQLite file, opened for each operation),
     * with the trust store, keys and cache in {@code dataDir/skills}.
     */
    public static Registry open(Path dataDir) {
        return new Registry(Objects.requireNonNull(dataDir, "dataDir"), null);
    }

    /**
     * The registry in {@code store} (kept open by the caller; a PostgreSQL store is shared by every
     * server on it), with the trust store, keys and cache in {@code dataDir/skills}.
     */
    public static Registry open(Store store, Path dataDir) {
        return new Registry(
                Objects.requireNonNull(dataDir, "dataDir"), Objects.requireNonNull(store, "store"));
    }

    /** Sends what the registry has to tell (the import of earlier installs) to {@code listener}. */
    public Registry onNotice(Consumer<String> listener) {
        this.notices = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** The skills folder: trust store, keys, cache. */
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
     * than the highest installed unless {@code allowDowngrade}, and a version already installed
     * (also when another process installs it at the same moment).
     */
    public Entry install(SkillFiles files, boolean allowDowngrade, Airlock airlock)
            throws SkillException {
        return install(files, allowDowngrade, airlock, null);
    }

    /**
     * As {@link #install(SkillFiles, boolean, Airlock)}, and makes the skill (all its versions)
     * seen by {@code tenants} only ({@link #visibleTo}) in the same transaction; {@code null}
     * leaves who sees it as it was.
     *
     * @throws SkillException {@code INPUT} for a bad tenant name, or as the other
     */
    public Entry install(
            SkillFiles files, boolean allowDowngrade, Airlock airlock, List<String> tenants)
            throws SkillException {
        List<String> seenBy = tenants == null ? null : tenants(tenants);
        SkillCheck.Checked c = SkillCheck.check(files, trust(), airlock);
        Manifest m = c.manifest();
        SkillRecord r = RegistryRows.record(m, c.signature(), files, Instant.now());
        byte[] archive = RegistryRows.pack(files);
        store(
                "install " + m.name(),
                s -> {
                    s.insert(
                            r,
                            archive,
                            seenBy,
                            installed -> refuseConflicts(m, installed, allowDowngrade));
                    return null;
                });
        try {
            cache.write(r.digest(), files);
        } catch (IOException e) {
            // written again when the skill is first taken out
        }
        return RegistryRows.entry(r);
    }

    private static void refuseConflicts(
            Manifest m, List<SkillRecord> installed, boolean allowDowngrade) throws SkillException {
        for (SkillRecord e : installed) {
            int cmp = RegistryRows.version(e.version()).compareTo(m.version());
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
    }

    /** Every installed version, by name then version. */
    public List<Entry> list() throws SkillException {
        return RegistryRows.sorted(store("list the skills", InstalledSkills::list));
    }

    /**
     * Takes out {@code name} at {@code version} (the highest installed if {@code null}), verified
     * and checked again, its files in a verified cache folder.
     *
     * @throws SkillException {@code INPUT} for a bad name, {@code NOT_FOUND}, or a refusal: {@code
     *     TAMPERED} when the stored archive or the cached files are not those installed
     */
    public Installed get(String name, String version, Airlock airlock) throws SkillException {
        Entry found = find(name, version);
        String what = found.name() + "@" + found.version();
        InstalledSkills.Stored stored =
                store("read " + what, s -> s.get(found.name(), found.version()))
                        .orElseThrow(() -> notInstalled(name, found.version()));
        SkillFiles files;
        try {
            files = SkillFiles.readArchive(new ByteArrayInputStream(stored.archive()), what);
        } catch (SkillException e) {
            throw new SkillException(
                    SkillException.Kind.TAMPERED,
                    what + ": the stored archive is damaged (" + e.getMessage() + ")");
        }
        SkillCheck.Checked c = SkillCheck.check(files, trust(), airlock);
        Manifest m = c.manifest();
        if (!c.signature().digest().equals(found.digest())
                || !m.name().equals(found.name())
                || !m.version().toString().equals(found.version())) {
            throw new SkillException(
                    SkillException.Kind.TAMPERED,
                    what + ": installed files differ from those installed");
        }
        Path d = cache.verified(found.digest(), files, trust());
        return new Installed(found, files, d, c);
    }

    /**
     * The entry of {@code name} at {@code version} (the highest if {@code null}).
     *
     * @throws SkillException {@code INPUT} for a bad name, {@code NOT_FOUND}
     */
    public Entry find(String name, String version) throws SkillException {
        checkName(name);
        Entry found = null;
        for (Entry e : RegistryRows.sorted(store("read " + name, s -> s.versions(name)))) {
            if (version == null || e.version().equals(version)) {
                found = e;
            }
        }
        if (found == null) {
            throw notInstalled(name, version);
        }
        return found;
    }

    /**
     * The manifest stored with an installed version, not verified (for lists; {@link #get}
     * verifies), or empty when there is none or it does not parse.
     */
    public Optional<Manifest> manifest(Entry e) throws SkillException {
        for (SkillRecord r : store("read " + e.name(), s -> s.versions(e.name()))) {
            if (r.version().equals(e.version())) {
                try {
                    return Optional.of(
                            Manifest.parse(r.manifest().getBytes(StandardCharsets.UTF_8)));
                } catch (SkillException x) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Removes {@code name} at {@code version}, or every version if {@code null}, with the skill's
     * visibility when no version is left, and their cached files.
     *
     * @return the versions removed
     */
    public List<Entry> remove(String name, String version) throws SkillException {
        checkName(name);
        List<Entry> gone =
                RegistryRows.sorted(store("remove " + name, s -> s.remove(name, version)));
        if (gone.isEmpty()) {
            throw notInstalled(name, version);
        }
        for (Entry e : gone) {
            try {
                cache.drop(e.digest());
            } catch (IOException x) {
                throw new SkillException(
                        SkillException.Kind.IO,
                        "removed " + name + " but not its cached files: " + x.getMessage());
            }
        }
        return gone;
    }

    /**
     * Who sees which skill on a server serving this registry: skill name to tenant names ({@link
     * #ALL_TENANTS} for every tenant); a skill not listed is seen by every tenant.
     *
     * @throws SkillException {@code IO} if the store cannot be read
     */
    public Map<String, List<String>> visibility() throws SkillException {
        return store("read the skills' visibility", InstalledSkills::visibility);
    }

    /**
     * Makes the installed skill {@code name} (all its versions) seen by {@code tenants} only
     * ({@link #ALL_TENANTS}, or an empty list, for every tenant).
     *
     * @throws SkillException {@code INPUT} for a bad skill or tenant name, {@code NOT_FOUND} if the
     *     skill is not installed, {@code IO} if the store cannot be written
     * @return the tenants, sorted, without duplicates
     */
    public List<String> visibleTo(String name, List<String> tenants) throws SkillException {
        List<String> ts = tenants(tenants);
        checkName(name);
        if (!store("set who sees " + name, s -> s.setVisibility(name, ts))) {
            throw notInstalled(name, null);
        }
        return ts;
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
                        SkillException.Kind.INPUT, "bad tenant name '" + shorten(t) + "'");
            }
            ts.add(t);
        }
        if (ts.isEmpty() || ts.contains(ALL_TENANTS)) {
            return List.of(ALL_TENANTS);
        }
        return List.copyOf(ts);
    }

    /** Work on the registry's rows. */
    interface Use<T> {
        T apply(InstalledSkills skills) throws StoreException, SkillException;
    }

    /** Runs {@code use} on the store, after importing earlier installs the first time. */
    private <T> T store(String what, Use<T> use) throws SkillException {
        if (!legacyChecked) {
            synchronized (this) {
                if (!legacyChecked && Files.exists(dir.resolve(LegacyIndex.INDEX))) {
                    onStore(
                            "import the earlier installs",
                            s -> {
                                LegacyIndex.importInto(dir, trust(), s).forEach(notices);
                                return null;
                            });
                }
                legacyChecked = true;
            }
        }
        return onStore(what, use);
    }

    private <T> T onStore(String what, Use<T> use) throws SkillException {
        try {
            if (shared != null) {
                return use.apply(shared.skills());
            }
            try (Store s = Store.open(dataDir)) {
                return use.apply(s.skills());
            }
        } catch (StoreException e) {
            throw new SkillException(
                    SkillException.Kind.IO, "cannot " + what + ": " + e.getMessage(), e);
        }
    }

    /** Refuses a name that cannot be a skill's. */
    static void checkName(String name) throws SkillException {
        if (name == null || !Manifest.isName(name)) {
            throw new SkillException(
                    SkillException.Kind.INPUT,
                    "bad skill name '"
                            + shorten(String.valueOf(name))
                            + "' (lower-case letters, digits and single hyphens, starting with a"
                            + " letter)");
        }
    }

    private static SkillException notInstalled(String name, String version) {
        return new SkillException(
                SkillException.Kind.NOT_FOUND,
                name + (version == null ? "" : "@" + version) + " is not installed");
    }

    private static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
