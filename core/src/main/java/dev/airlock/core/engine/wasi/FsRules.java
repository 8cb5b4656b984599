package dev.airlock.core.engine.wasi;

import dev.airlock.core.mediation.Rules;
import dev.airlock.core.mediation.Verdict;
import dev.airlock.core.vfs.VirtualFileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * The file rules that need to know which mount a descriptor belongs to: read-only mounts, then
 * paths that try to leave their mount ({@code fs.outside-mount}) and path calls when no filesystem
 * is granted ({@code fs.none}). The last two still run, so the guest sees the usual WASI errno;
 * they are recorded as denials for the audit trail.
 */
final class FsRules {
    static final int LOOKUP_SYMLINK_FOLLOW = 1;
    static final int O_CREAT = 1;
    static final int O_TRUNC = 8;
    static final long RIGHT_FD_WRITE = 1L << 6;
    static final int FDFLAG_APPEND = 1;

    private final VirtualFileSystem vfs;
    private final Descriptors fds;

    FsRules(VirtualFileSystem vfs, Descriptors fds) {
        this.vfs = vfs;
        this.fds = fds;
    }

    /** The verdict on a WASI call, or {@code null} when these rules have nothing against it. */
    Verdict verdict(String name, long[] a, Map<String, Object> summary) {
        Verdict ro = readOnlyVerdict(name, a);
        if (ro != null || !name.startsWith("path_")) {
            return ro;
        }
        if (vfs.size() == 0) {
            return Rules.NO_FILES;
        }
        if (escapes(summary.get("path")) || escapes(summary.get("newPath"))) {
            return Rules.OUTSIDE_MOUNT;
        }
        if (!vfs.isSingleRoot()) {
            return null;
        }
        if (outsideEveryMount(name, a, summary)) {
            return Rules.NOT_MOUNTED;
        }
        if (!changes(name, a)) {
            return null;
        }
        Verdict target = readOnlyTarget(name, a, summary);
        return target != null ? target : mountPointTarget(name, a, summary);
    }

    /**
     * In a single-root filesystem: the verdict on a rename or removal of a mount's folder or of a
     * folder above one (on either side of a rename), links on the way resolved.
     */
    private Verdict mountPointTarget(String name, long[] a, Map<String, Object> summary) {
        switch (name) {
            case "path_rename":
                return atMountPoint(a[0], summary.get("path"))
                                || atMountPoint(a[3], summary.get("newPath"))
                        ? Rules.MOUNT_POINT
                        : null;
            case "path_remove_directory":
                return atMountPoint(a[0], summary.get("path")) ? Rules.MOUNT_POINT : null;
            default:
                return null;
        }
    }

    private boolean atMountPoint(long fd, Object guestPath) {
        Path p = path(fd, guestPath);
        return p != null && vfs.holdsMount(Links.real(p, false));
    }

    /** Whether {@code path_open}'s arguments ask to create, truncate, write or append. */
    static boolean opensForWriting(long[] a) {
        // path_open(fd, dirflags, path, path_len, oflags, rights_base,
        //           rights_inheriting, fdflags, fd_ptr)
        return ((int) a[4] & (O_CREAT | O_TRUNC)) != 0
                || (a[5] & RIGHT_FD_WRITE) != 0
                || ((int) a[7] & FDFLAG_APPEND) != 0;
    }

    /** Whether a path call may change what its path names. */
    private static boolean changes(String name, long[] a) {
        switch (name) {
            case "path_open":
                return opensForWriting(a);
            case "path_create_directory":
            case "path_remove_directory":
            case "path_unlink_file":
            case "path_filestat_set_times":
            case "path_symlink":
            case "path_rename":
            case "path_link":
                return true;
            default:
                return false;
        }
    }

    /**
     * In a single-root filesystem, where every mount shares one volume: the verdict on a changing
     * path call whose path lies in a read-only mount once links are resolved as Chicory resolves
     * them (a folder on the way always, the final name when the call follows it). A hard link out
     * of a read-only mount is refused with {@code EXDEV}, as between two mounts: the link would be
     * the read-only file itself, writable.
     */
    private Verdict readOnlyTarget(String name, long[] a, Map<String, Object> summary) {
        switch (name) {
            case "path_link":
                {
                    Path source = path(a[0], summary.get("path"));
                    if (lands(a[4], summary.get("newPath"), false)) {
                        return Rules.READ_ONLY;
                    }
                    return source != null
                                    && (vfs.readOnly(Links.real(source, false))
                                            || vfs.readOnly(Links.real(source, true)))
                            ? Rules.LINK_OUT_OF_READ_ONLY
                            : null;
                }
            case "path_rename":
                return lands(a[0], summary.get("path"), false)
                                || lands(a[3], summary.get("newPath"), false)
                        ? Rules.READ_ONLY
                        : null;
            case "path_symlink":
                return lands(a[2], summary.get("path"), false) ? Rules.READ_ONLY : null;
            case "path_open":
            case "path_filestat_set_times":
                boolean follow = ((int) a[1] & LOOKUP_SYMLINK_FOLLOW) != 0;
                return lands(a[0], summary.get("path"), follow) ? Rules.READ_ONLY : null;
            default:
                return lands(a[0], summary.get("path"), false) ? Rules.READ_ONLY : null;
        }
    }

    /** Whether a guest path under a descriptor lies in a read-only mount, links resolved. */
    private boolean lands(long fd, Object guestPath, boolean followFinal) {
        Path p = path(fd, guestPath);
        return p != null && vfs.readOnly(Links.real(p, followFinal));
    }

    private Path path(long fd, Object guestPath) {
        return guestPath instanceof String ? fds.resolve((int) fd, (String) guestPath) : null;
    }

    /**
     * In a single-root filesystem: whether a path call reaches into a top-level folder that does
     * not exist, such as {@code /etc} or {@code /root}: a host path that no mount holds. It fails
     * with {@code ENOENT} anyway; the rule records the attempt. Making a new top-level entry is no
     * such attempt.
     */
    private boolean outsideEveryMount(String name, long[] a, Map<String, Object> summary) {
        switch (name) {
            case "path_rename":
                return missingTop(a[0], summary.get("path"), false)
                        || missingTop(a[3], summary.get("newPath"), true);
            case "path_link":
                return missingTop(a[0], summary.get("path"), false)
                        || missingTop(a[4], summary.get("newPath"), true);
            case "path_symlink":
                return missingTop(a[2], summary.get("path"), true);
            case "path_create_directory":
                return missingTop(a[0], summary.get("path"), true);
            case "path_open":
                return missingTop(a[0], summary.get("path"), ((int) a[4] & O_CREAT) != 0);
            default:
                return missingTop(a[0], summary.get("path"), false);
        }
    }

    /**
     * Whether a path's top-level folder is missing from the single root: always so when the path
     * goes below it, and for a name at the top only when the call does not {@code create} it.
     */
    private boolean missingTop(long fd, Object guestPath, boolean create) {
        Integer volume = fds.volume((int) fd);
        if (volume != null && vfs.isShared(volume)) {
            return false; // a shared volume is no top-level folder of the root
        }
        Path p = path(fd, guestPath);
        if (p == null || p.getNameCount() == 0) {
            return false;
        }
        Path top = p.getRoot() == null ? p.getName(0) : p.getRoot().resolve(p.getName(0));
        if (Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        return !(create && p.getNameCount() == 1);
    }

    /** Whether a guest path is absolute or climbs above the directory it is resolved in. */
    static boolean escapes(Object path) {
        if (!(path instanceof String)) {
            return false;
        }
        String p = (String) path;
        if (p.startsWith("/")) {
            return true;
        }
        int depth = 0;
        for (String part : p.split("/")) {
            if (part.equals("..")) {
                if (--depth < 0) {
                    return true;
                }
            } else if (!part.isEmpty() && !part.equals(".")) {
                depth++;
            }
        }
        return false;
    }

    /** The read-only rule: a call that would change a read-only mount is denied. */
    private Verdict readOnlyVerdict(String name, long[] a) {
        switch (name) {
            case "path_open":
                return opensForWriting(a) && readOnly((int) a[0]) ? Rules.READ_ONLY : null;
            case "path_create_directory":
            case "path_remove_directory":
            case "path_unlink_file":
            case "path_filestat_set_times":
            case "fd_allocate":
            case "fd_filestat_set_size":
            case "fd_filestat_set_times":
                return readOnly((int) a[0]) ? Rules.READ_ONLY : null;
            case "path_symlink":
                return readOnly((int) a[2]) ? Rules.READ_ONLY : null;
            case "path_rename":
                return readOnly((int) a[0]) || readOnly((int) a[3]) ? Rules.READ_ONLY : null;
            case "path_link":
                return readOnly((int) a[4]) ? Rules.READ_ONLY : null;
            default:
                return null;
        }
    }

    /**
     * Whether a descriptor lives in a read-only mount: a read-only volume, or in the single root a
     * folder or file inside a read-only mount.
     */
    private boolean readOnly(int fd) {
        Integer v = fds.volume(fd);
        if (v != null && vfs.isReadOnly(v)) {
            return true;
        }
        Path p = vfs.isSingleRoot() ? fds.path(fd) : null;
        return p != null && vfs.readOnly(p);
    }
}
