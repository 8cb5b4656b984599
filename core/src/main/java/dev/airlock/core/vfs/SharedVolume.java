package dev.airlock.core.vfs;

import dev.airlock.core.Mount;
import dev.airlock.core.Snapshot;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * One in-memory copy of a folder's files, read by every instance whose folder holds the same files:
 * the guest sees it read-only (the file rules refuse every change, as for a read-only mount), its
 * times never move (one constant for every time of every entry, so that no instance can learn when
 * another read a file), and it counts towards an instance's quota only where a read-only mount made
 * it (as the mount's copy did).
 *
 * <p>A few recently used volumes are kept, matched by their files: the same arrays (an
 * interpreter's image restored again) or the same bytes (a session's snapshot read back from disk),
 * or, for a read-only mount, by the host folder's unchanged {@link HostPrint print}. Each volume
 * counts its users (the cache while it keeps it, and each filesystem it is attached to) and closes
 * its in-memory filesystem when the last one lets go.
 */
final class SharedVolume {
    /** How many volumes are kept for reuse once no instance holds them. */
    static final int KEPT = 8;

    /**
     * Read-only mounts are shared only up to this many bytes of files (64 MiB); larger ones are
     * copied into each instance as before.
     */
    static final long MAX_SHARED_MOUNT_BYTES = 64L << 20;

    /** The time every entry of a shared volume shows: 2000-01-01T00:00:00Z. */
    static final FileTime TIME = FileTime.fromMillis(946_684_800_000L);

    /** Most recently used first; guarded by the class. */
    private static final List<SharedVolume> RECENT = new ArrayList<>();

    private final String folder;
    private final List<Snapshot.Entry> entries;
    private final FileSystem fs;
    private final Path root;
    private final HostPrint.Print hostPrint; // the host folder's, for a volume made from one
    private int users;

    private SharedVolume(
            String folder, List<Snapshot.Entry> entries, FileSystem fs, HostPrint.Print hostPrint) {
        this.folder = folder;
        this.entries = entries;
        this.fs = fs;
        this.root = fs.getPath("/");
        this.hostPrint = hostPrint;
    }

    /**
     * A volume holding {@code entries} (guest paths strictly under {@code folder}, folders with
     * {@code null} content), taken for one more user: a kept one with the same files, or a new one.
     * The caller must {@link #release()} it once.
     *
     * @throws IOException if the files cannot be written into memory
     */
    static SharedVolume acquire(String folder, List<Snapshot.Entry> entries) throws IOException {
        List<Snapshot.Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Snapshot.Entry::path));
        SharedVolume kept = reuse(v -> v.holds(folder, sorted));
        if (kept != null) {
            return kept;
        }
        SharedVolume made =
                new SharedVolume(folder, List.copyOf(sorted), build(folder, sorted), null);
        keep(made);
        return made;
    }

    /**
     * A volume holding the folders and regular files of the host folder {@code host} (never through
     * a link) at {@code folder}, taken for one more user: a kept one made from the same folder
     * while its {@link HostPrint print} is unchanged, or a new one read from the host (kept for
     * reuse unless the folder changed while it was read); {@code null} when the folder's files are
     * above {@link #MAX_SHARED_MOUNT_BYTES}, which the caller then copies as before (a shared
     * volume holds its files twice: its entries' arrays and its in-memory filesystem). The caller
     * must {@link #release()} a volume once.
     *
     * @throws IOException if the folder cannot be read or its files written into memory
     */
    static SharedVolume acquire(String folder, Path host) throws IOException {
        HostPrint.Print print = HostPrint.of(host);
        SharedVolume kept = reuse(v -> v.folder.equals(folder) && print.same(v.hostPrint));
        if (kept != null) {
            return kept;
        }
        if (print.bytes() > MAX_SHARED_MOUNT_BYTES) {
            return null;
        }
        List<Snapshot.Entry> sorted = HostCopy.read(host, folder);
        check(folder, sorted);
        sorted.sort(Comparator.comparing(Snapshot.Entry::path));
        boolean keep = print.same(HostPrint.of(host));
        SharedVolume made =
                new SharedVolume(
                        folder, List.copyOf(sorted), build(folder, sorted), keep ? print : null);
        if (keep) {
            keep(made);
        } else {
            made.users = 1; // the caller's only: never matched again
        }
        return made;
    }

    /**
     * The most recently used kept volume that {@code matches}, taken for one more user, or null.
     */
    private static SharedVolume reuse(Predicate<SharedVolume> matches) {
        synchronized (SharedVolume.class) {
            for (Iterator<SharedVolume> it = RECENT.iterator(); it.hasNext(); ) {
                SharedVolume v = it.next();
                if (matches.test(v)) {
                    it.remove();
                    RECENT.add(0, v);
                    v.users++;
                    return v;
                }
            }
        }
        return null;
    }

    private static void keep(SharedVolume made) {
        synchronized (SharedVolume.class) {
            made.users = 2; // the cache's and the caller's
            RECENT.add(0, made);
            while (RECENT.size() > KEPT) {
                RECENT.remove(RECENT.size() - 1).release();
            }
        }
    }

    /**
     * @throws IOException unless {@code folder} is a clean absolute path other than {@code /} and
     *     every entry a clean path under it
     */
    static void check(String folder, List<Snapshot.Entry> entries) throws IOException {
        if (folder == null || folder.length() < 2 || !clean(folder)) {
            throw new IOException("not a clean absolute guest folder: " + folder);
        }
        for (Snapshot.Entry e : entries) {
            if (!e.path().startsWith(folder + "/") || !clean(e.path())) {
                throw new IOException("not a clean path under " + folder + ": " + e.path());
            }
        }
    }

    /** Whether a path is absolute, with no empty, {@code .} or {@code ..} part. */
    private static boolean clean(String path) {
        if (!path.startsWith("/")) {
            return false;
        }
        for (String part : path.substring(1).split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** Lets go of one use; the last closes the in-memory filesystem. */
    void release() {
        boolean close;
        synchronized (SharedVolume.class) {
            close = --users == 0;
        }
        if (close) {
            try {
                fs.close();
            } catch (IOException | RuntimeException ignored) {
                // an in-memory volume has nothing to leak
            }
        }
    }

    /** Where the volume appears to the guest. */
    String folder() {
        return folder;
    }

    /** The root of the volume, an in-memory path. */
    Path root() {
        return root;
    }

    /** The files and folders it holds, by guest path, sorted; the arrays are never written. */
    List<Snapshot.Entry> entries() {
        return entries;
    }

    /** Volumes kept for reuse now (for tests). */
    static int kept() {
        synchronized (SharedVolume.class) {
            return RECENT.size();
        }
    }

    private boolean holds(String folder, List<Snapshot.Entry> sorted) {
        if (!this.folder.equals(folder) || entries.size() != sorted.size()) {
            return false;
        }
        for (int i = 0; i < sorted.size(); i++) {
            Snapshot.Entry a = entries.get(i);
            Snapshot.Entry b = sorted.get(i);
            if (!a.path().equals(b.path())
                    || a.isDirectory() != b.isDirectory()
                    || (a.content() != b.content() && !Arrays.equals(a.content(), b.content()))) {
                return false;
            }
        }
        return true;
    }

    private static FileSystem build(String folder, List<Snapshot.Entry> sorted) throws IOException {
        long blocks = 16;
        for (Snapshot.Entry e : sorted) {
            blocks += 1 + (e.isDirectory() ? 0 : e.content().length / VirtualFileSystem.BLOCK);
        }
        FileSystem fs = Volume.memory(blocks * VirtualFileSystem.BLOCK, () -> TIME);
        try {
            Path root = fs.getPath("/");
            for (Snapshot.Entry e : sorted) {
                Path p = root.resolve(e.path().substring(folder.length() + 1));
                if (e.isDirectory()) {
                    Files.createDirectories(p);
                } else {
                    Files.createDirectories(p.getParent());
                    Files.write(p, e.content());
                }
            }
            return fs;
        } catch (IOException | RuntimeException e) {
            fs.close();
            throw e;
        }
    }

    /**
     * Whether a mount is shown from a shared volume (see {@link SharedVolume#acquire(String,
     * Path)}) rather than copied: a read-only one, not at {@code /}, that holds no other mount and
     * lies in none. A kept volume then serves every instance that mounts the same unchanged host
     * folder at the same place, so a repeated run copies nothing.
     */
    static boolean serves(Mount m, List<Mount> mounts) {
        String g = m.guestPath();
        if (m.mode() != Mount.Mode.READ_ONLY || g.equals("/")) {
            return false;
        }
        for (Mount o : mounts) {
            String h = o.guestPath();
            if (o != m && (h.equals("/") || overlap(g, h))) {
                return false;
            }
        }
        return true;
    }

    /** Whether two guest folders are the same or one lies in the other. */
    static boolean overlap(String a, String b) {
        return a.equals(b) || a.startsWith(b + "/") || b.startsWith(a + "/");
    }
}
