package dev.airlock.audit.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;

/**
 * One database connection, its dialect and its transactions. All access goes through {@link #write}
 * or {@link #read}, which hold a lock: the store is used from the audit writer's thread and the
 * application's threads at once.
 *
 * <p>SQLite transactions are begun by hand ({@code BEGIN IMMEDIATE} for writes, so that another
 * process's writer makes this one wait up to the busy timeout instead of failing; plain {@code
 * BEGIN} for reads, a consistent snapshot that does not block writers). PostgreSQL uses JDBC
 * transactions, read-only {@code REPEATABLE READ} for reads.
 */
final class Db implements AutoCloseable {
    enum Dialect {
        SQLITE,
        POSTGRESQL
    }

    /** Work inside a transaction. */
    interface Work<T> {
        T run(Connection c) throws SQLException, StoreException;
    }

    static final int BUSY_TIMEOUT_MILLIS = 5000;

    final Dialect dialect;
    final String location;
    private final Connection conn;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    private Db(Dialect dialect, String location, Connection conn) {
        this.dialect = dialect;
        this.location = location;
        this.conn = conn;
    }

    /** Opens (creating if needed) the SQLite file in WAL mode, synchronous=NORMAL. */
    static Db sqlite(Path file) throws StoreException {
        String where = file.toAbsolutePath().toString();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the data folder for " + where + ": " + e, e);
        }
        if (Files.isDirectory(file)) {
            throw new StoreException("cannot open store " + where + ": it is a directory");
        }
        try {
            Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file, sqliteSettings());
            Db db = new Db(Dialect.SQLITE, where, c);
            // reading the schema fails at once on a file that is not a database
            db.read("open", x -> probe(x, "SELECT count(*) FROM sqlite_master"));
            return db;
        } catch (SQLException e) {
            throw describe("cannot open store " + where, e);
        }
    }

    /** Connects to a {@code jdbc:postgresql:} or {@code jdbc:sqlite:} URL. */
    static Db jdbc(String url, Properties props) throws StoreException {
        String where = redact(url);
        java.sql.Driver driver;
        Dialect dialect;
        if (url.startsWith("jdbc:postgresql:")) {
            driver = new org.postgresql.Driver();
            dialect = Dialect.POSTGRESQL;
        } else if (url.startsWith("jdbc:sqlite:")) {
            driver = new org.sqlite.JDBC();
            dialect = Dialect.SQLITE;
        } else {
            throw new StoreException(
                    "unsupported store URL "
                            + where
                            + ": expected jdbc:postgresql://host[:port]/database or jdbc:sqlite:file");
        }
        try {
            Properties p = new Properties();
            p.putAll(props);
            if (dialect == Dialect.SQLITE) {
                p.putAll(sqliteSettings());
            }
            Connection c = driver.connect(url, p);
            if (c == null) {
                throw new StoreException("unsupported store URL " + where);
            }
            Db db = new Db(dialect, where, c);
            db.read("open", x -> probe(x, "SELECT 1"));
            return db;
        } catch (SQLException e) {
            throw describe("cannot open store " + where, e);
        }
    }

    private static boolean probe(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.execute(sql);
        }
    }

    static Properties sqliteSettings() {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        cfg.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        return cfg.toProperties();
    }

    /** The URL with any {@code password=} parameter hidden. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** Runs {@code work} in a write transaction, committing on success, rolling back on failure. */
    <T> T write(String what, Work<T> work) throws StoreException {
        return tx(what, true, work);
    }

    /** Runs {@code work} in a read-only transaction that sees one consistent state. */
    <T> T read(String what, Work<T> work) throws StoreException {
        return tx(what, false, work);
    }

    private <T> T tx(String what, boolean write, Work<T> work) throws StoreException {
        lock.lock();
        try {
            if (closed) {
                throw new StoreException("store " + location + " is closed");
            }
            try {
                try {
                    begin(write);
                    T result = work.run(conn);
                    commit();
                    return result;
                } catch (SQLException | StoreException | RuntimeException e) {
                    // never leave a transaction open: it would hold SQLite's locks
                    rollback(e);
                    throw e;
                }
            } catch (SQLException e) {
                throw describe("store " + location + ": " + what + " failed", e);
            }
        } finally {
            lock.unlock();
        }
    }

    private void begin(boolean write) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            try (Statement s = conn.createStatement()) {
                s.execute(write ? "BEGIN IMMEDIATE" : "BEGIN");
            }
        } else {
            conn.setAutoCommit(false);
            if (!write) {
                try (Statement s = conn.createStatement()) {
                    s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                }
            }
        }
    }

    private void commit() throws SQLException {
        if (dialect == Dialect.SQLITE) {
            try (Statement s = conn.createStatement()) {
                s.execute("COMMIT");
            }
        } else {
            conn.commit();
            conn.setAutoCommit(true);
        }
    }

    private void rollback(Exception cause) {
        try {
            if (dialect == Dialect.SQLITE) {
                try (Statement s = conn.createStatement()) {
                    s.execute("ROLLBACK");
                } catch (SQLException e) {
                    // the failure may have ended the transaction already (or BEGIN failed)
                    if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                        throw e;
                    }
                }
            } else {
                conn.rollback();
                conn.setAutoCommit(true);
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** A one-line StoreException for a driver failure, naming what is wrong with the file. */
    static StoreException describe(String context, SQLException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof org.sqlite.SQLiteException) {
            SQLiteErrorCode code = ((org.sqlite.SQLiteException) e).getResultCode();
            if (code == SQLiteErrorCode.SQLITE_NOTADB) {
                msg = "not a SQLite database (wrong file, or its header is damaged)";
            } else if (code == SQLiteErrorCode.SQLITE_CORRUPT) {
                msg = "the database file is corrupted (" + msg + ")";
            } else if (code == SQLiteErrorCode.SQLITE_BUSY) {
                msg = "the database stayed locked by another process (" + msg + ")";
            }
        }
        return new StoreException(context + ": " + oneLine(msg), e);
    }

    /** A driver message on one line (PostgreSQL adds detail and position lines). */
    static String oneLine(String message) {
        return String.valueOf(message).strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /** Whether {@code e} (or one chained to it) is a unique or other constraint violation. */
    static boolean isConstraintViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (x.getSQLState() != null && x.getSQLState().startsWith("23")) {
                return true;
            }
            if (x instanceof org.sqlite.SQLiteException
                    && (((org.sqlite.SQLiteException) x).getResultCode().code & 0xff) == 19) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws StoreException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            conn.close();
        } catch (SQLException e) {
            throw describe("store " + location + ": close failed", e);
        } finally {
            lock.unlock();
        }
    }
}
