package dev.airlock.audit.store;

import dev.airlock.audit.HashChain;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells whether the writer of a chain is alive: the writer holds a lock for as long as its store is
 * open, and the operating system (SQLite: a file lock in {@code <store file>.writers/}) or the
 * database (PostgreSQL: a session advisory lock) drops it when the process dies. A chain is only
 * registered once its lock is held, so an open chain whose lock is free has lost its writer.
 */
abstract class WriterLocks {
    /** A held lock; {@link #release()} drops it. */
    interface Held {
        void release();
    }

    /** Takes the lock of a new chain. */
    abstract Held acquire(String chain) throws StoreException;

    /**
     * The lock of {@code chain} when its writer is gone (the caller then holds it until it releases
     * it), or empty while a writer (of this process or another) holds it or when this store cannot
     * tell.
     */
    abstract Optional<Held> claimIfAbandoned(String chain) throws StoreException;

    /** Whether a writer holds {@code chain}'s lock (what {@code verify} reports). */
    boolean alive(String chain) throws StoreException {
        Optional<Held> h = claimIfAbandoned(chain);
        h.ifPresent(Held::release);
        return h.isEmpty();
    }

    static WriterLocks of(Db db, Path file) {
        if (db.dialect == Db.Dialect.POSTGRESQL) {
            return new Advisory(db);
        }
        return file == null
                ? new Unknown()
                : new LockFiles(file.resolveSibling(file.getFileName() + ".writers"));
    }

    /** The SQLite file a {@code jdbc:sqlite:} URL names, or {@code null} (memory, URI forms). */
    static Path sqliteFile(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        if (rest.isEmpty() || rest.startsWith(":") || rest.startsWith("file:")) {
            return null;
        }
        return Path.of(rest).toAbsolutePath();
    }

    /** A store whose file is unknown: no writer is ever taken for gone. */
    private static final class Unknown extends WriterLocks {
        @Override
        Held acquire(String chain) {
            return () -> {};
        }

        @Override
        Optional<Held> claimIfAbandoned(String chain) {
            return Optional.empty();
        }
    }

    /** File locks, one file per live chain; deleted when released. */
    private static final class LockFiles extends WriterLocks {
        /** Lock files held by this process (a second lock from the same JVM would throw). */
        private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

        private final Path dir;

        LockFiles(Path dir) {
            this.dir = dir;
        }

        @Override
        Held acquire(String chain) throws StoreException {
            Held h = tryLock(chain, true);
            if (h == null) {
                throw new StoreException("cannot lock writer " + chain + " in " + dir);
            }
            return h;
        }

        @Override
        Optional<Held> claimIfAbandoned(String chain) throws StoreException {
            if (!HashChain.validWriter(chain)) {
                // not an id this code makes: never a file name, never taken for gone
                return Optional.empty();
            }
            Path p = dir.resolve(chain + ".lock");
            if (HELD.contains(p)) {
                return Optional.empty();
            }
            if (!Files.exists(p)) {
                // taken before the chain was registered and deleted once it was closed: gone
                return Optional.of(() -> {});
            }
            return Optional.ofNullable(tryLock(chain, false));
        }

        private Held tryLock(String chain, boolean create) throws StoreException {
            Path p = dir.resolve(chain + ".lock");
            if (!HELD.add(p)) {
                return null;
            }
            FileChannel ch = null;
            try {
                if (create) {
                    Files.createDirectories(dir);
                }
                ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = ch.tryLock();
                if (lock == null) {
                    ch.close();
                    HELD.remove(p);
                    return null;
                }
                FileChannel channel = ch;
                return () -> {
                    try {
                        // delete first: a process that opens the name afterwards makes a new file
                        Files.deleteIfExists(p);
                        lock.release();
                        channel.close();
                    } catch (IOException e) {
                        // the lock goes with the process at the latest
                    } finally {
                        HELD.remove(p);
                    }
                };
            } catch (IOException | OverlappingFileLockException e) {
                try {
                    if (ch != null) {
                        ch.close();
                    }
                } catch (IOException ignored) {
                    // nothing held
                }
                HELD.remove(p);
                if (create) {
                    throw new StoreException(
                            "cannot lock writer " + chain + " in " + dir + ": " + e.getMessage(),
                            e);
                }
                return null;
            }
        }
    }

    /** PostgreSQL session advisory locks, held by the store's connection. */
    private static final class Advisory extends WriterLocks {
        private final Db db;

        Advisory(Db db) {
            this.db = db;
        }

        @Override
        Held acquire(String chain) throws StoreException {
            if (!lock(chain)) {
                throw new StoreException(
                        "store " + db.location + ": writer " + chain + " is taken");
            }
            return () -> unlock(chain);
        }

        @Override
        Optional<Held> claimIfAbandoned(String chain) throws StoreException {
            // a session's advisory locks are re-entrant: the caller never asks about its own
            return lock(chain) ? Optional.of(() -> unlock(chain)) : Optional.empty();
        }

        private boolean lock(String chain) throws StoreException {
            return db.write(
                    "lock writer " + chain,
                    c -> {
                        try (PreparedStatement p =
                                c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                            p.setLong(1, key(chain));
                            try (ResultSet r = p.executeQuery()) {
                                r.next();
                                return r.getBoolean(1);
                            }
                        }
                    });
        }

        private void unlock(String chain) {
            try {
                db.write(
                        "unlock writer " + chain,
                        c -> {
                            try (PreparedStatement p =
                                    c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                                p.setLong(1, key(chain));
                                p.execute();
                            }
                            return null;
                        });
            } catch (StoreException e) {
                // closed connection: the lock went with the session
            }
        }

        private static long key(String chain) {
            try {
                byte[] d =
                        MessageDigest.getInstance("SHA-256")
                                .digest(
                                        ("airlock-writer:" + chain)
                                                .getBytes(StandardCharsets.UTF_8));
                long k = 0;
                for (int i = 0; i < 8; i++) {
                    k = (k << 8) | (d[i] & 0xff);
                }
                return k;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
