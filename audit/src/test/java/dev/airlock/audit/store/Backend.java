package dev.airlock.audit.store;

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
 * Where a test's store lives: a SQLite data folder, always; and, when the environment variable
 * {@value #PG_ENV} holds a JDBC URL with user and password, a fresh schema of that PostgreSQL
 * database (dropped afterwards). Tests take the backend's name as their parameter.
 */
abstract class Backend implements AutoCloseable {
    static final String PG_ENV = "AIRLOCK_TEST_PG_URL";

    /** The backends to run against: {@code sqlite}, and {@code postgresql} when configured. */
    static List<String> names() {
        List<String> names = new ArrayList<>(List.of("sqlite"));
        String url = System.getenv(PG_ENV);
        if (url != null && !url.isBlank()) {
            names.add("postgresql");
        }
        return names;
    }

    static Backend create(String name, Path tmp) throws SQLException {
        return "postgresql".equals(name) ? new Pg(System.getenv(PG_ENV)) : new Sqlite(tmp);
    }

    /** Opens the store. */
    abstract Store open() throws StoreException;

    /** The store as a child process names it: a data folder or a JDBC URL. */
    abstract String arg();

    /** A plain connection to the store's database, for tampering with it. */
    abstract Connection raw() throws SQLException;

    /** Opens the store's database without migrating it. */
    abstract Db db() throws StoreException;

    /** Opens a store from {@link #arg()}. */
    static Store open(String arg) throws StoreException {
        return arg.startsWith("jdbc:") ? Store.open(arg) : Store.open(Path.of(arg));
    }

    @Override
    public void close() throws SQLException {}

    static final class Sqlite extends Backend {
        final Path dir;

        Sqlite(Path dir) {
            this.dir = dir;
        }

        @Override
        Store open() throws StoreException {
            return Store.open(dir);
        }

        @Override
        String arg() {
            return dir.toString();
        }

        Path file() {
            return dir.resolve(Store.FILE_NAME);
        }

        @Override
        Connection raw() throws SQLException {
            return new org.sqlite.JDBC().connect("jdbc:sqlite:" + file(), new Properties());
        }

        @Override
        Db db() throws StoreException {
            return Db.sqlite(file());
        }
    }

    static final class Pg extends Backend {
        final String base;
        final String schema;
        final String url;

        Pg(String base) throws SQLException {
            this.base = base;
            byte[] b = new byte[6];
            ThreadLocalRandom.current().nextBytes(b);
            this.schema = "t_" + HexFormat.of().formatHex(b);
            this.url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            try (Connection c = connect(base);
                    Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
        }

        static Connection connect(String url) throws SQLException {
            return new org.postgresql.Driver().connect(url, new Properties());
        }

        @Override
        Store open() throws StoreException {
            return Store.open(url);
        }

        @Override
        String arg() {
            return url;
        }

        @Override
        Connection raw() throws SQLException {
            return connect(url);
        }

        @Override
        Db db() throws StoreException {
            return Db.jdbc(url, new Properties());
        }

        @Override
        public void close() throws SQLException {
            try (Connection c = connect(base);
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
