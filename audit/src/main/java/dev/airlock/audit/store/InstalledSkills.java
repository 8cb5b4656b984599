package dev.airlock.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The installed skills of a {@link Store} (the {@code skills} and {@code skill_visibility} tables):
 * each write is one transaction. Installs and removals of one skill name are serialised across
 * processes and servers (SQLite: its write lock; PostgreSQL: a transaction advisory lock per name),
 * so two installs of the same version never both succeed. The rules (which versions may be added,
 * how they are verified) are the caller's. Made by {@link Store#skills()}.
 */
public final class InstalledSkills {
    private static final String COLUMNS =
            "name, version, publisher, key_id, fingerprint, digest, kind, installed_at, manifest";

    /** The first key of the PostgreSQL advisory locks that serialise writes to one skill name. */
    private static final int LOCK_SPACE = 4242002;

    private final Db db;

    InstalledSkills(Db db) {
        this.db = db;
    }

    /** A stored version with its archive. */
    public record Stored(SkillRecord record, byte[] archive) {
        public Stored {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(archive, "archive");
        }
    }

    /**
     * Decides, inside the install's transaction, whether a version may be added: it sees the
     * versions of the same name installed at that moment and throws to refuse.
     */
    public interface Check<E extends Exception> {
        void check(List<SkillRecord> installed) throws E;
    }

    /** Every installed version, by name (versions in no particular order). */
    public List<SkillRecord> list() throws StoreException {
        return db.read("list skills", c -> select(c, "", null));
    }

    /** The installed versions of {@code name}. */
    public List<SkillRecord> versions(String name) throws StoreException {
        Objects.requireNonNull(name, "name");
        return db.read("list skill " + name, c -> select(c, " WHERE name = ?", name));
    }

    /** One installed version with its archive, if installed. */
    public Optional<Stored> get(String name, String version) throws StoreException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        return db.read(
                "read skill " + name,
                c -> {
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "SELECT "
                                            + COLUMNS
                                            + ", archive FROM skills WHERE name = ? AND version"
                                            + " = ?")) {
                        p.setString(1, name);
                        p.setString(2, version);
                        try (ResultSet r = p.executeQuery()) {
                            return r.next()
                                    ? Optional.of(new Stored(row(r), r.getBytes(10)))
                                    : Optional.empty();
                        }
                    }
                });
    }

    /**
     * Adds a version, in one transaction: {@code check} sees the versions of the same name and may
     * refuse by throwing, then the row is written, and who sees the skill is set to {@code tenants}
     * unless that is {@code null}. When another process adds the same version at the same moment,
     * exactly one succeeds and the other's {@code check} sees that version.
     *
     * @throws E what {@code check} threw (nothing is then written)
     * @throws StoreException if the write fails
     */
    public <E extends Exception> void insert(
            SkillRecord skill, byte[] archive, List<String> tenants, Check<E> check)
            throws StoreException, E {
        Objects.requireNonNull(skill, "skill");
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(check, "check");
        for (int attempt = 1; ; attempt++) {
            try {
                db.write(
                        "install skill " + skill.name(),
                        c -> {
                            lockName(c, skill.name());
                            List<SkillRecord> same = select(c, " WHERE name = ?", skill.name());
                            try {
                                check.check(same);
                            } catch (RuntimeException e) {
                                throw e;
                            } catch (Exception e) {
                                throw new Refused(e);
                            }
                            insert(c, skill, archive);
                            if (tenants != null) {
                                update(
                                        c,
                                        "DELETE FROM skill_visibility WHERE name = ?",
                                        skill.name());
                                visible(c, skill.name(), tenants);
                            }
                            return null;
                        });
                return;
            } catch (Refused r) {
                @SuppressWarnings("unchecked")
                E e = (E) r.getCause();
                throw e;
            } catch (StoreException e) {
                // a row written meanwhile by a writer the lock did not hold back: once more, and
                // the check then sees it
                if (attempt > 1
                        || !(e.getCause() instanceof SQLException)
                        || !Db.isConstraintViolation((SQLException) e.getCause())) {
                    throw e;
                }
            }
        }
    }

    /**
     * Removes {@code version} of {@code name}, or all its versions if {@code version} is {@code
     * null}; with the last version go the skill's visibility rows. One transaction.
     *
     * @return the versions removed (empty when none was installed)
     */
    public List<SkillRecord> remove(String name, String version) throws StoreException {
        Objects.requireNonNull(name, "name");
        return db.write(
                "remove skill " + name,
                c -> {
                    lockName(c, name);
                    List<SkillRecord> gone = new ArrayList<>();
                    for (SkillRecord s : select(c, " WHERE name = ?", name)) {
                        if (version == null || s.version().equals(version)) {
                            gone.add(s);
                        }
                    }
                    for (SkillRecord s : gone) {
                        update(
                                c,
                                "DELETE FROM skills WHERE name = ? AND version = ?",
                                name,
                                s.version());
                    }
                    if (select(c, " WHERE name = ?", name).isEmpty()) {
                        update(c, "DELETE FROM skill_visibility WHERE name = ?", name);
                    }
                    return gone;
                });
    }

    /** Skill name to the tenants that see it (sorted), for skills that have visibility rows. */
    public Map<String, List<String>> visibility() throws StoreException {
        return db.read(
                "read skill visibility",
                c -> {
                    Map<String, List<String>> out = new TreeMap<>();
                    try (PreparedStatement p =
                                    c.prepareStatement(
                                            "SELECT name, tenant FROM skill_visibility ORDER BY"
                                                    + " name, tenant");
                            ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            out.computeIfAbsent(r.getString(1), k -> new ArrayList<>())
                                    .add(r.getString(2));
                        }
                    }
                    return out;
                });
    }

    /**
     * Replaces who sees {@code name} (all its versions) with {@code tenants}, in one transaction.
     *
     * @return false, changing nothing, when no version of {@code name} is installed
     */
    public boolean setVisibility(String name, List<String> tenants) throws StoreException {
        Objects.requireNonNull(name, "name");
        List<String> ts = List.copyOf(tenants);
        return db.write(
                "set the visibility of skill " + name,
                c -> {
                    lockName(c, name);
                    if (select(c, " WHERE name = ?", name).isEmpty()) {
                        return false;
                    }
                    update(c, "DELETE FROM skill_visibility WHERE name = ?", name);
                    visible(c, name, ts);
                    return true;
                });
    }

    /** Whether no skill is installed. */
    public boolean isEmpty() throws StoreException {
        return db.read("count skills", c -> count(c) == 0);
    }

    /**
     * Adds {@code skills} and their visibility (skill name to tenants) in one transaction, if no
     * skill is installed yet (an import of skills kept elsewhere before).
     *
     * @return whether they were added (false: the store already held skills, nothing changed)
     */
    public boolean importIfEmpty(List<Stored> skills, Map<String, List<String>> visibility)
            throws StoreException {
        return db.write(
                "import skills",
                c -> {
                    if (db.dialect == Db.Dialect.POSTGRESQL) {
                        try (PreparedStatement p =
                                c.prepareStatement("SELECT pg_advisory_xact_lock(?, 0)")) {
                            p.setInt(1, LOCK_SPACE);
                            p.execute();
                        }
                    }
                    if (count(c) > 0) {
                        return false;
                    }
                    for (Stored s : skills) {
                        insert(c, s.record(), s.archive());
                    }
                    for (Map.Entry<String, List<String>> v : visibility.entrySet()) {
                        visible(c, v.getKey(), v.getValue());
                    }
                    return true;
                });
    }

    private void lockName(Connection c, String name) throws SQLException {
        if (db.dialect == Db.Dialect.POSTGRESQL) {
            try (PreparedStatement p = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
                p.setInt(1, LOCK_SPACE);
                p.setInt(2, name.hashCode());
                p.execute();
            }
        }
    }

    private static long count(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM skills");
                ResultSet r = p.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    private static List<SkillRecord> select(Connection c, String where, String name)
            throws SQLException {
        List<SkillRecord> out = new ArrayList<>();
        try (PreparedStatement p =
                c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM skills" + where + " ORDER BY name, version")) {
            if (name != null) {
                p.setString(1, name);
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(row(r));
                }
            }
        }
        return out;
    }

    private static void insert(Connection c, SkillRecord s, byte[] archive) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement(
                        "INSERT INTO skills ("
                                + COLUMNS
                                + ", archive) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, s.name());
            p.setString(2, s.version());
            p.setString(3, s.publisher());
            p.setString(4, s.keyId());
            p.setString(5, s.fingerprint());
            p.setString(6, s.digest());
            p.setString(7, s.kind());
            p.setLong(8, s.installedAt().toEpochMilli());
            p.setString(9, s.manifest());
            p.setBytes(10, archive);
            p.executeUpdate();
        }
    }

    private static void visible(Connection c, String name, List<String> tenants)
            throws SQLException {
        for (String t : new java.util.TreeSet<>(tenants)) {
            update(c, "INSERT INTO skill_visibility (name, tenant) VALUES (?, ?)", name, t);
        }
    }

    private static void update(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setString(i + 1, args[i]);
            }
            p.executeUpdate();
        }
    }

    private static SkillRecord row(ResultSet r) throws SQLException {
        return new SkillRecord(
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getString(4),
                r.getString(5),
                r.getString(6),
                r.getString(7),
                Instant.ofEpochMilli(r.getLong(8)),
                r.getString(9));
    }

    /** Carries a check's refusal out of the transaction, which it rolls back. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(Exception cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
