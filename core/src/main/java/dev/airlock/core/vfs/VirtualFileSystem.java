package dev.airlock.core.vfs;

import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest's in-memory filesystem: one isolated in-memory volume per {@link Mount}, so that a link
 * made in one mount can never reach into another. Host folders are copied in at creation and, for
 * read-write mounts, copied back by {@link #copyBack()}; the guest never holds a host path.
 *
 * <p>Quotas: bytes are counted in allocated 4 KiB blocks over all volumes; files count every file,
 * directory and link. The creating call that crosses a quota is detected right after it returns by
 * {@link #checkQuota()}, and the run is then stopped (nothing is copied back).
 */
public final class VirtualFileSystem implements AutoCloseable {
    /** Block size of the in-memory volumes; quotas count whole blocks. */
    public static final int BLOCK = 4096;

    private final List<Volume> volumes;
    private final Limits limits;
    private int fileCount;
    private boolean closed;

    private final boolean singleRoot;

    /** In single-root mode, the mounts copied into the root, by their folder in the volume. */
    private final List<Mount> nested = new ArrayList<>();

    private final List<Mount> mounts;
    private final CopyBacks copyBacks;

    private VirtualFileSystem(
            List<Volume> volumes, Limits limits, List<Mount> mounts, boolean singleRoot) {
        this.volumes = volumes;
        this.limits = limits;
        this.mounts = List.copyOf(mounts);
        this.copyBacks = new CopyBacks(this, this.mounts);
        this.singleRoot = singleRoot;
    }

    /**
     * Creates the volumes and copies each mount's host folder in, except that a read-only mount
     * other than {@code /} that overlaps no other mount is shown from a shared volume made from its
     * host folder (see {@link SharedVolume#acquire(String, Path)}): read-only as before, its
     * entries' times one constant, its files still counted towards the quotas, and host-side writes
     * there refused.
     *
     * @throws QuotaExceededException if the mounts alone exceed the filesystem quota
     * @throws IOException if a host folder cannot be read
     */
    public static VirtualFileSystem create(List<Mount> mounts, Limits limits) throws IOException {
        List<Volume> volumes = new ArrayList<>();
        VirtualFileSystem vfs = new VirtualFileSystem(volumes, limits, mounts, false);
        try {
            long maxSize = maxSize(limits);
            for (Mount m : mounts) {
                if (!Files.isDirectory(m.host(), LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException("mount source is not a directory: " + m.host());
                }
                if (SharedVolume.serves(m, mounts) && vfs.attachMount(m)) {
                    continue;
                }
                Volume v = Volume.of(m, m.guestPath(), m.mode(), Volume.memory(maxSize, null));
                volumes.add(v);
                HostCopy.copyIn(m.host(), v.root());
            }
            vfs.copyBacks.take();
            vfs.fileCount = vfs.countFiles();
            vfs.checkQuota();
            return vfs;
        } catch (IOException | RuntimeException e) {
            vfs.close();
            throw e;
        }
    }

    /** Adds mount {@code m} as a shared volume; false when it is too large to share. */
    private boolean attachMount(Mount m) throws IOException {
        SharedVolume shared = SharedVolume.acquire(m.guestPath(), m.host());
        if (shared == null) {
            return false;
        }
        try {
            volumes.add(Volume.of(m, shared));
            return true;
        } catch (IOException | RuntimeException e) {
            shared.release();
            throw e;
        }
    }

    /**
     * The size of each volume: the quota plus one guest-memory-sized write past it, which the
     * post-call check then stops.
     */
    private static long maxSize(Limits limits) {
        long cap = limits.fsQuotaBytes() + limits.memoryBytes() + 16L * BLOCK;
        return Math.max(BLOCK * 16L, (cap / BLOCK + 1) * BLOCK);
    }

    /**
     * Creates one volume seen at {@code /}, with each mount's host folder copied in at its guest
     * path. Read-only mounts stay read-only by path ({@link #readOnly(Path)}); read-write ones are
     * copied back from their folder.
     *
     * @throws QuotaExceededException if the mounts alone exceed the filesystem quota
     * @throws IOException if a host folder cannot be read
     */
    public static VirtualFileSystem createRoot(List<Mount> mounts, Limits limits)
            throws IOException {
        List<Volume> volumes = new ArrayList<>();
        VirtualFileSystem vfs = new VirtualFileSystem(volumes, limits, mounts, true);
        try {
            long maxSize = maxSize(limits);
            Volume v = Volume.of(null, "/", Mount.Mode.READ_WRITE, Volume.memory(maxSize, null));
            volumes.add(v);
            Path root = v.root();
            for (Mount m : mounts) {
                if (!Files.isDirectory(m.host(), LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException("mount source is not a directory: " + m.host());
                }
                Path at = root.resolve(m.guestPath().substring(1));
                Files.createDirectories(at);
                HostCopy.copyIn(m.host(), at);
                vfs.nested.add(m);
            }
            vfs.copyBacks.take();
            vfs.fileCount = vfs.countFiles();
            vfs.checkQuota();
            return vfs;
        } catch (IOException | RuntimeException e) {
            vfs.close();
            throw e;
        }
    }

    /**
     * Shows {@code entries} (folders and files at guest paths strictly under {@code folder}) at
     * {@code folder}, read-only, from one in-memory copy shared with every other filesystem that
     * shows the same files there (see {@link SharedVolume}): nothing is copied when a recent one
     * did. The guest can change nothing in it, its entries' times never move, and it counts towards
     * neither quota. In a single root, the folder is made in the root as the place the volume is
     * seen at, and the guest cannot change anything at or under it there either.
     *
     * @throws IOException if the folder is not a clean absolute path other than {@code /}, lies
     *     inside another volume than the single root or holds one, an entry is not under it, or the
     *     files cannot be copied into memory
     */
    public void attachShared(String folder, List<Snapshot.Entry> entries) throws IOException {
        SharedVolume.check(folder, entries);
        List<String> others = new ArrayList<>();
        for (Volume v : volumes) {
            if (!(singleRoot && v.mount() == null && v.shared() == null)) {
                others.add(v.guestPath());
            }
        }
        nested.forEach(m -> others.add(m.guestPath()));
        for (String g : others) {
            if (SharedVolume.overlap(g, folder)) {
                throw new IOException("the shared folder " + folder + " overlaps " + g);
            }
        }
        SharedVolume shared = SharedVolume.acquire(folder, entries);
        try {
            if (singleRoot) {
                Files.createDirectories(resolve(folder));
            }
            volumes.add(Volume.of(shared));
        } catch (IOException | RuntimeException e) {
            shared.release();
            throw e;
        }
        fileCount = countFiles();
    }

    /** Whether this is a single-root filesystem (see {@link #createRoot}). */
    public boolean isSingleRoot() {
        return singleRoot;
    }

    /** Whether volume {@code index} is a shared one (see {@link #attachShared}). */
    public boolean isShared(int index) {
        return volumes.get(index).shared() != null;
    }

    /**
     * The files and folders of shared volume {@code index} by guest path, sorted, the folder itself
     * excluded; their arrays must not be written.
     */
    public List<Snapshot.Entry> sharedEntries(int index) {
        SharedVolume s = volumes.get(index).shared();
        return s == null ? List.of() : s.entries();
    }

    /** Whether a guest path is a shared folder or lies under one. */
    public boolean inShared(String guestPath) {
        for (Volume v : volumes) {
            if (v.shared() != null
                    && (guestPath.equals(v.guestPath())
                            || guestPath.startsWith(v.guestPath() + "/"))) {
                return true;
            }
        }
        return false;
    }

    /** Where volume {@code index} appears to the guest. */
    public String guestPath(int index) {
        return volumes.get(index).guestPath();
    }

    /** Whether volume {@code index} is read-only as a whole. */
    public boolean isReadOnly(int index) {
        return volumes.get(index).mode() == Mount.Mode.READ_ONLY;
    }

    /**
     * Whether an in-volume path of a single root lies in a read-only mount, or at or under the
     * place a shared volume is seen at (always false otherwise: whole volumes are checked by {@link
     * #isReadOnly(int)}).
     */
    public boolean readOnly(Path inVolume) {
        if (!singleRoot || inVolume.getFileSystem() != volumes.get(0).fs()) {
            return false;
        }
        String p = inVolume.normalize().toString();
        for (Volume v : volumes) {
            String g = v.guestPath();
            if (v.shared() != null && (p.equals(g) || p.startsWith(g + "/"))) {
                return true;
            }
        }
        for (Mount m : nested) {
            if (m.mode() == Mount.Mode.READ_ONLY
                    && (p.equals(m.guestPath()) || p.startsWith(m.guestPath() + "/"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an in-volume path of a single root is a mount's folder there, the place a shared
     * volume is seen at, or a folder above one of them (never the root itself; always false without
     * a single root).
     */
    public boolean holdsMount(Path inVolume) {
        if (!singleRoot || inVolume.getFileSystem() != volumes.get(0).fs()) {
            return false;
        }
        String p = inVolume.normalize().toString();
        if (p.equals("/") || p.isEmpty()) {
            return false;
        }
        List<String> places = new ArrayList<>();
        nested.forEach(m -> places.add(m.guestPath()));
        for (Volume v : volumes) {
            if (v.shared() != null) {
                places.add(v.guestPath());
            }
        }
        for (String g : places) {
            if (g.equals(p) || g.startsWith(p + "/")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The in-memory path of a guest path, in the volume that holds it.
     *
     * @throws IOException if no volume holds it, or it is not a clean absolute path
     */
    public Path resolve(String guestPath) throws IOException {
        if (guestPath == null || !guestPath.startsWith("/")) {
            throw new IOException("not an absolute guest path: " + guestPath);
        }
        for (String part : guestPath.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw new IOException("guest path must not contain . or ..: " + guestPath);
            }
        }
        Volume best = null;
        for (Volume v : volumes) {
            String g = v.guestPath();
            boolean under = g.equals("/") || guestPath.equals(g) || guestPath.startsWith(g + "/");
            if (under && (best == null || g.length() > best.guestPath().length())) {
                best = v;
            }
        }
        if (best == null) {
            throw new IOException("no mount holds " + guestPath);
        }
        String rel =
                best.guestPath().equals("/")
                        ? guestPath
                        : guestPath.substring(best.guestPath().length());
        return rel.isEmpty() || rel.equals("/")
                ? best.root()
                : best.root().resolve(rel.substring(1));
    }

    /** The number of volumes, one per mount, in mount order. */
    public int size() {
        return volumes.size();
    }

    public Mount mount(int index) {
        return volumes.get(index).mount();
    }

    /** The root of volume {@code index}, an in-memory path. */
    public Path root(int index) {
        return volumes.get(index).root();
    }

    /** Bytes allocated over all volumes. */
    public long usedBytes() {
        return VolumeUsage.usedBytes(volumes);
    }

    /** Files, directories and links over all volumes (roots excluded), as last counted. */
    public int fileCount() {
        return fileCount;
    }

    /** Recounts entries after a call that may have created some. */
    public void recount() {
        fileCount = countFiles();
    }

    /**
     * @throws QuotaExceededException if either quota is exceeded now
     */
    public void checkQuota() {
        VolumeUsage.check(limits, usedBytes(), fileCount);
    }

    /**
     * Copies every read-write mount back to its host folder, changing only what the guest changed
     * since the copy-in or the last copy-back (see {@link Mount}): never through a link, special
     * files never touched, modes and owners of existing files kept.
     *
     * @throws IOException if a host folder is gone or a change cannot be written; the changes
     *     written until then stay
     */
    public void copyBack() throws IOException {
        copyBacks.copyBack();
    }

    private int countFiles() {
        return VolumeUsage.countFiles(volumes);
    }

    static boolean isPlain(BasicFileAttributes a) {
        return a.isRegularFile() || a.isDirectory();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Volume v : volumes) {
            if (v.shared() != null) {
                v.shared().release();
                continue;
            }
            try {
                v.fs().close();
            } catch (IOException | RuntimeException ignored) {
                // an in-memory volume has nothing to leak
            }
        }
    }
}
