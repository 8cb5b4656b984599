package dev.airlock.skills;

import dev.airlock.audit.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a registry test's store lives, as in the audit module's store tests: a SQLite data folder,
 * always; and, when the environment variable {@value #PG_ENV} holds a JDBC URL with user and
 * password ({@code .ci/postgres} prints it), a fresh schema of that PostgreSQL database, dropped
 * afterwards. Tests take the backend's name as their parameter.
 */
final class TestStore implements AutoCloseable {
    static final String PG_ENV = "AIRLOCK_TEST_PG_URL";

    private final String base;
    private final String schema;
    private final String url;

    private TestStore(String base, String schema, String url) {
        this.base = base;
        this.schema = schema;
        this.url = url;
    }

    /** The backends to run against: {@code sqlite}, and {@code postgresql} when configured. */
    static List<String> names() {
        List<String> names = new ArrayList<>(List.of("sqlite"));
        String pg = System.getenv(PG_ENV);
        if (pg != null && !pg.isBlank()) {
            names.add("postgresql");
        }
        return names;
    }

    /** The store of backend {@code name}: the SQLite file in {@code dataDir}, or a new schema. */
    static TestStore create(String name, Path dataDir) throws SQLException {
        if (!"postgresql".equals(name)) {
            Path file = dataDir.resolve(Store.FILE_NAME).toAbsolutePath();
            return new TestStore(null, null, "jdbc:sqlite:" + file);
        }
        String base = System.getenv(PG_ENV);
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        String schema = "t_" + HexFormat.of().formatHex(b);
        try (Connection c = connect(base);
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return new TestStore(
                base, schema, base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema);
    }

    /** Opens the store (each call another connection: another node or process). */
    Store open() throws Exception {
        if (url.startsWith("jdbc:sqlite:")) {
            Path file = Path.of(url.substring("jdbc:sqlite:".length()));
            java.nio.file.Files.createDirectories(file.getParent());
            return Store.open(file.getParent());
        }
        return Store.open(url);
    }

    /** A plain connection to the store's database, for tampering with it. */
    Connection raw() throws SQLException {
        return connect(url);
    }

    private static Connection connect(String url) throws SQLException {
        return url.startsWith("jdbc:sqlite:")
                ? new org.sqlite.JDBC().connect(url, new Properties())
                : new org.postgresql.Driver().connect(url, new Properties());
    }

    @Override
    public void close() throws SQLException {
        if (schema != null) {
            try (Connection c = connect(base);
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
