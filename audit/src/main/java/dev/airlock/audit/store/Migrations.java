package dev.airlock.audit.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Versioned schema migrations: the SQL files in {@code dev/airlock/audit/migrations}, named {@code
 * V<n>__<description>.sql}, applied in order, all of them in one transaction, each recorded in
 * {@code schema_version}. A store with a version above the newest known one is refused; a failing
 * migration leaves the store as it was.
 */
final class Migrations {
    /** The bundled migrations, in order. A new file must be added here. */
    static final List<String> FILES =
            List.of(
                    "V1__init.sql",
                    "V2__audit_session.sql",
                    "V3__tenants_keys.sql",
                    "V4__writer_chains.sql",
                    "V5__skills.sql",
                    "V6__run_origin.sql",
                    "V7__nodes.sql",
                    "V8__session_states.sql");

    private static final String FOLDER = "/dev/airlock/audit/migrations/";
    private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");

    /** Tables of schema version 1, to recognise an Airlock store without its version table. */
    private static final Set<String> OWN_TABLES =
            Set.of("runs", "audit_events", "audit_anchor", "audit_head", "snapshots");

    /** One migration: its version, description and statements. */
    record Migration(int version, String description, List<String> statements) {}

    private Migrations() {}

    /** The migrations shipped with this version. */
    static List<Migration> bundled() {
        List<Migration> all = new ArrayList<>();
        for (String file : FILES) {
            try (InputStream in = Migrations.class.getResourceAsStream(FOLDER + file)) {
                if (in == null) {
                    throw new IllegalStateException("missing migration resource " + file);
                }
                all.add(parse(file, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }

    /** The schema version this code writes. */
    static int latest() {
        List<Migration> all = bundled();
        return all.get(all.size() - 1).version();
    }

    /** Parses a migration file: {@code --} comment lines dropped, statements end with {@code ;}. */
    static Migration parse(String file, String sql) {
        Matcher m = NAME.matcher(file);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad migration name " + file);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            String t = line.strip();
            if (t.startsWith("--") || t.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (t.endsWith(";")) {
                String s = current.toString().strip();
                statements.add(s.substring(0, s.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return new Migration(Integer.parseInt(m.group(1)), m.group(2), statements);
    }

    /**
     * Brings the store up to the last of {@code migrations}; returns the resulting version.
     *
     * @throws StoreException if the store is foreign, newer than {@code migrations}, or a migration
     *     fails (then nothing is changed)
     */
    static int apply(Db db, List<Migration> migrations) throws StoreException {
        int target = migrations.get(migrations.size() - 1).version();
        // fast path: already current, no write lock taken
        Integer current = db.read("read the schema version", c -> version(db, c));
        if (current != null && current == target) {
            return current;
        }
        return db.write(
                "migrate the schema",
                c -> {
                    if (db.dialect == Db.Dialect.POSTGRESQL) {
                        // two processes opening a new database at once: one migrates, one waits
                        try (Statement s = c.createStatement()) {
                            s.execute("SELECT pg_advisory_xact_lock(4242001)");
                        }
                    }
                    Integer now = version(db, c);
                    int from = now == null ? 0 : now;
                    if (from > target) {
                        throw new StoreException(
                                "store "
                                        + db.location
                                        + " has schema version "
                                        + from
                                        + ", newer than this Airlock understands ("
                                        + target
                                        + "); use a newer Airlock or another store");
                    }
                    if (now == null) {
                        try (Statement s = c.createStatement()) {
                            s.execute(
                                    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
                                            + " description VARCHAR(200) NOT NULL,"
                                            + " applied_at BIGINT NOT NULL)");
                        }
                    }
                    for (Migration m : migrations) {
                        if (m.version() > from) {
                            run(db, c, m);
                        }
                    }
                    return target;
                });
    }

    private static void run(Db db, Connection c, Migration m) throws StoreException {
        int n = 0;
        for (String sql : m.statements()) {
            n++;
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new StoreException(
                        "store "
                                + db.location
                                + ": migration V"
                                + m.version()
                                + "__"
                                + m.description()
                                + " failed at statement "
                                + n
                                + " ("
                                + Db.oneLine(e.getMessage())
                                + "); nothing was changed",
                        e);
            }
        }
        try (PreparedStatement p =
                c.prepareStatement(
                        "INSERT INTO schema_version (version, description, applied_at)"
                                + " VALUES (?, ?, ?)")) {
            p.setInt(1, m.version());
            p.setString(2, m.description());
            p.setLong(3, System.currentTimeMillis());
            p.executeUpdate();
        } catch (SQLException e) {
            throw Db.describe("store " + db.location + ": recording migration failed", e);
        }
    }

    /**
     * The current version, or {@code null} for an empty database.
     *
     * @throws StoreException if the database holds tables but is not an Airlock store
     */
    private static Integer version(Db db, Connection c) throws SQLException, StoreException {
        Set<String> tables = tables(db, c);
        if (!tables.contains("schema_version")) {
            Set<String> ours = new HashSet<>(tables);
            ours.retainAll(OWN_TABLES);
            boolean foreign = db.dialect == Db.Dialect.SQLITE ? !tables.isEmpty() : !ours.isEmpty();
            if (foreign) {
                throw new StoreException(
                        "store "
                                + db.location
                                + " is not an Airlock store: it holds tables "
                                + new java.util.TreeSet<>(tables)
                                + " but no schema_version");
            }
            return null;
        }
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            r.next();
            int v = r.getInt(1);
            return r.wasNull() ? 0 : v;
        } catch (SQLException e) {
            throw Db.describe("store " + db.location + ": cannot read its schema version", e);
        }
    }

    private static Set<String> tables(Db db, Connection c) throws SQLException {
        String sql =
                db.dialect == Db.Dialect.SQLITE
                        ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                                + " AND name NOT LIKE 'sqlite_%'"
                        : "SELECT table_name FROM information_schema.tables"
                                + " WHERE table_schema = current_schema()";
        Set<String> names = new HashSet<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                names.add(r.getString(1).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
