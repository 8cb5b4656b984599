package dev.airlock.core.vfs;

import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Size;
import io.roastedroot.zerofs.Configuration;
import io.roastedroot.zerofs.Feature;
import io.roastedroot.zerofs.PathType;
import io.roastedroot.zerofs.ZeroFs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

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

    /**
     * One in-memory volume seen by the guest at {@code guestPath}; {@code mount} is the mount it
     * was made from, or {@code null} for the single root.
     */
    private record Volume(
            Mount mount,
            String guestPath,
            Mount.Mode mode,
            FileSystem fs,
            Path root,
            FileStore store) {}

    /** In single-root mode, the mounts copied into the root, by their folder in the volume. */
    private final List<Mount> nested = new ArrayList<>();

    /**
     * What each read-write mount and its host folder hold alike (after the copy-in, then after each
     * copy-back), by the mount's index in the policy.
     */
    private final Map<Integer, Manifest> manifests = new HashMap<>();

    private final List<Mount> mounts;

    private VirtualFileSystem(List<Volume> volumes, Limits limits, List<Mount> mounts) {
        this.volumes = volumes;
        this.limits = limits;
        this.mounts = List.copyOf(mounts);
    }

    /**
     * Creates the volumes and copies each mount's host folder in.
     *
     * @throws QuotaExceededException if the mounts alone exceed the filesystem quota
     * @throws IOException if a host folder cannot be read
     */
    public static VirtualFileSystem create(List<Mount> mounts, Limits limits) throws IOException {
        List<Volume> volumes = new ArrayList<>();
        VirtualFileSystem vfs = new VirtualFileSystem(volumes, limits, mounts);
        try {
            // each volume may hold the quota plus one guest-memory-sized write past it before the
            // post-call check stops the run
            long cap = limits.fsQuotaBytes() + limits.memoryBytes() + 16L * BLOCK;
            long maxSize = Math.max(BLOCK * 16L, (cap / BLOCK + 1) * BLOCK);
            for (Mount m : mounts) {
                FileSystem fs = newVolume(maxSize);
                Path root = fs.getPath("/");
                volumes.add(
                        new Volume(m, m.guestPath(), m.mode(), fs, root, Files.getFileStore(root)));
                if (!Files.isDirectory(m.host(), LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException("mount source is not a directory: " + m.host());
                }
                HostCopy.copyIn(m.host(), root);
            }
            vfs.takeManifests();
            vfs.fileCount = vfs.countFiles();
            vfs.checkQuota();
            return vfs;
        } catch (IOException | RuntimeException e) {
            vfs.close();
            throw e;
        }
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
        VirtualFileSystem vfs = new VirtualFileSystem(volumes, limits, mounts);
        try {
            long cap = limits.fsQuotaBytes() + limits.memoryBytes() + 16L * BLOCK;
            long maxSize = Math.max(BLOCK * 16L, (cap / BLOCK + 1) * BLOCK);
            FileSystem fs = newVolume(maxSize);
            Path root = fs.getPath("/");
            volumes.add(
                    new Volume(
                            null, "/", Mount.Mode.READ_WRITE, fs, root, Files.getFileStore(root)));
            for (Mount m : mounts) {
                if (!Files.isDirectory(m.host(), LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException("mount source is not a directory: " + m.host());
                }
                Path at = root.resolve(m.guestPath().substring(1));
                Files.createDirectories(at);
                HostCopy.copyIn(m.host(), at);
                vfs.nested.add(m);
            }
            vfs.takeManifests();
            vfs.fileCount = vfs.countFiles();
            vfs.checkQuota();
            return vfs;
        } catch (IOException | RuntimeException e) {
            vfs.close();
            throw e;
        }
    }

    private static FileSystem newVolume(long maxSize) {
        Configuration config =
                Configuration.builder(PathType.unix())
                        .setRoots("/")
                        .setWorkingDirectory("/")
                        .setAttributeViews("basic", "owner", "posix", "unix")
                        .setSupportedFeatures(
                                Feature.LINKS,
                                Feature.SYMBOLIC_LINKS,
                                Feature.SECURE_DIRECTORY_STREAM,
                                Feature.FILE_CHANNEL)
                        .setBlockSize(BLOCK)
                        .setMaxSize(maxSize)
                        .build();
        return ZeroFs.newFileSystem(config);
    }

    /** Whether this is a single-root filesystem (see {@link #createRoot}). */
    public boolean isSingleRoot() {
        return size() == 1 && volumes.get(0).mount() == null;
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
     * Whether an in-volume path lies in a read-only mount of a single-root filesystem (always false
     * otherwise: whole volumes are checked by {@link #isReadOnly(int)}).
     */
    public boolean readOnly(Path inVolume) {
        if (nested.isEmpty()) {
            return false;
        }
        String p = inVolume.normalize().toString();
        for (Mount m : nested) {
            if (m.mode() == Mount.Mode.READ_ONLY
                    && (p.equals(m.guestPath()) || p.startsWith(m.guestPath() + "/"))) {
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
        long used = 0;
        for (Volume v : volumes) {
            try {
                used += v.store().getTotalSpace() - v.store().getUnallocatedSpace();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return used;
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
        long used = usedBytes();
        if (used > limits.fsQuotaBytes()) {
            throw new QuotaExceededException(
                    "limit exceeded: fs-quota ("
                            + Size.format(limits.fsQuotaBytes())
                            + " of files; "
                            + used
                            + " bytes in use)");
        }
        if (fileCount > limits.fsQuotaFiles()) {
            throw new QuotaExceededException(
                    "limit exceeded: fs-quota ("
                            + limits.fsQuotaFiles()
                            + " files; "
                            + fileCount
                            + " in use)");
        }
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
        for (int i = 0; i < mounts.size(); i++) {
            Manifest was = manifests.get(i);
            if (was != null) {
                Mount m = mounts.get(i);
                manifests.put(i, HostSync.copyBack(mountRoot(i), m.host(), was, skip(i)));
            }
        }
    }

    private void takeManifests() throws IOException {
        for (int i = 0; i < mounts.size(); i++) {
            if (mounts.get(i).mode() == Mount.Mode.READ_WRITE) {
                manifests.put(i, Manifest.of(mountRoot(i), skip(i)));
            }
        }
    }

    /** Where mount {@code i}'s folder lies in memory. */
    private Path mountRoot(int i) {
        if (isSingleRoot()) {
            String g = mounts.get(i).guestPath();
            Path root = volumes.get(0).root();
            return g.equals("/") ? root : root.resolve(g.substring(1));
        }
        return volumes.get(i).root();
    }

    /**
     * The folders of the other mounts seen inside mount {@code i} (single root only), relative to
     * it: they belong to those mounts and are never copied back through this one.
     */
    private Set<String> skip(int i) {
        if (!isSingleRoot()) {
            return Set.of();
        }
        String g = mounts.get(i).guestPath();
        String prefix = g.equals("/") ? "/" : g + "/";
        Set<String> out = new HashSet<>();
        for (int j = 0; j < mounts.size(); j++) {
            String o = mounts.get(j).guestPath();
            if (j != i && o.startsWith(prefix) && o.length() > prefix.length()) {
                out.add(o.substring(prefix.length()));
            }
        }
        return out;
    }

    private int countFiles() {
        int n = 0;
        for (Volume v : volumes) {
            try (Stream<Path> s = Files.walk(v.root())) {
                n += (int) s.count() - 1;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return n;
    }

    static boolean isPlain(BasicFileAttributes a) {
        return a.isRegularFile() || a.isDirectory();
    }

    @Override
    public void close() {
        for (Volume v : volumes) {
            try {
                v.fs().close();
            } catch (IOException | RuntimeException ignored) {
                // an in-memory volume has nothing to leak
            }
        }
    }
}
