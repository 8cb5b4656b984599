package dev.airlock.core.vfs;

import dev.airlock.core.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Host-side access to the guest's files: upload, download, listing, and the capture and restore of
 * a whole virtual filesystem for snapshots. Links are never followed or captured.
 */
public final class GuestFiles {
    private final VirtualFileSystem vfs;

    public GuestFiles(VirtualFileSystem vfs) {
        this.vfs = vfs;
    }

    /**
     * Writes a file, creating its parents, then checks the quotas.
     *
     * @throws IOException if the path is invalid or lies in a shared folder, or a quota would be
     *     exceeded (the file is then removed again)
     */
    public void write(String guestPath, byte[] content) throws IOException {
        Path p = writable(guestPath);
        if (p.getParent() == null) {
            throw new IOException("not a file path: " + guestPath);
        }
        Files.createDirectories(p.getParent());
        if (Files.isSymbolicLink(p) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("not a regular file: " + guestPath);
        }
        Files.write(p, content);
        vfs.recount();
        try {
            vfs.checkQuota();
        } catch (QuotaExceededException e) {
            Files.deleteIfExists(p);
            vfs.recount();
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Creates a folder and its parents.
     *
     * @throws IOException if the path is invalid or lies in a shared folder
     */
    public void mkdirs(String guestPath) throws IOException {
        Files.createDirectories(writable(guestPath));
        vfs.recount();
    }

    private Path writable(String guestPath) throws IOException {
        Path p = vfs.resolve(guestPath);
        if (vfs.inShared(guestPath)) {
            throw new IOException("read-only: " + guestPath);
        }
        return p;
    }

    /**
     * Reads a regular file.
     *
     * @throws IOException if there is no such regular file
     */
    public byte[] read(String guestPath) throws IOException {
        Path p = vfs.resolve(guestPath);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("no such file: " + guestPath);
        }
        return Files.readAllBytes(p);
    }

    /**
     * The regular files under a folder, recursively, as sorted guest paths.
     *
     * @throws IOException if there is no such folder
     */
    public List<String> list(String guestFolder) throws IOException {
        Path dir = vfs.resolve(guestFolder);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("no such folder: " + guestFolder);
        }
        String prefix = guestFolder.endsWith("/") ? guestFolder : guestFolder + "/";
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> out.add(prefix + dir.relativize(p).toString()));
        }
        out.sort(null);
        return out;
    }

    /** The entries strictly under {@code folder}: what a shared volume there is made of. */
    public static List<Snapshot.Entry> sharing(String folder, List<Snapshot.Entry> entries) {
        List<Snapshot.Entry> out = new ArrayList<>();
        String prefix = folder + "/";
        for (Snapshot.Entry e : entries) {
            if (e.path().startsWith(prefix)) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Every folder and regular file of every volume, as guest paths, parents first. A shared
     * volume's entries are its own (the same arrays, not copied); what a single root holds at or
     * under the place a shared volume is seen at is hidden by it and left out.
     */
    public List<Snapshot.Entry> capture() throws IOException {
        List<Snapshot.Entry> out = new ArrayList<>();
        for (int i = 0; i < vfs.size(); i++) {
            if (vfs.isShared(i)) {
                out.add(new Snapshot.Entry(vfs.guestPath(i), null));
                out.addAll(vfs.sharedEntries(i));
                continue;
            }
            Path root = vfs.root(i);
            String base = vfs.guestPath(i).equals("/") ? "" : vfs.guestPath(i);
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                    if (p.equals(root)) {
                        continue;
                    }
                    String guest = base + "/" + root.relativize(p);
                    if (vfs.inShared(guest)) {
                        continue;
                    }
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        out.add(new Snapshot.Entry(guest, null));
                    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        out.add(new Snapshot.Entry(guest, Files.readAllBytes(p)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Writes the captured folders and files over what the volumes hold (a fresh filesystem holds
     * its mounts' host folders). Entries at or under a shared folder are left out: they are the
     * shared volume's (see {@link #sharing}).
     *
     * @throws IOException if a captured path has no volume, or the quota is exceeded
     */
    public void load(List<Snapshot.Entry> entries) throws IOException {
        for (Snapshot.Entry e : entries) {
            if (vfs.inShared(e.path())) {
                continue;
            }
            Path p = vfs.resolve(e.path());
            if (e.isDirectory()) {
                Files.createDirectories(p);
            } else {
                Files.createDirectories(p.getParent());
                Files.write(p, e.content());
            }
        }
        vfs.recount();
        try {
            vfs.checkQuota();
        } catch (QuotaExceededException q) {
            throw new IOException(q.getMessage(), q);
        }
    }
}
