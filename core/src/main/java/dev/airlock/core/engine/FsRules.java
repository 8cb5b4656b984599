package dev.airlock.core.engine;

import dev.airlock.core.mediation.Rules;
import dev.airlock.core.mediation.Verdict;
import dev.airlock.core.vfs.VirtualFileSystem;
import java.nio.file.Path;
import java.util.Map;

/**
 * The file rules that need to know which mount a descriptor belongs to: read-only mounts, then
 * paths that try to leave their mount ({@code fs.outside-mount}) and path calls when no filesystem
 * is granted ({@code fs.none}). The last two still run, so the guest sees the usual WASI errno;
 * they are recorded as denials for the audit trail.
 */
final class FsRules {
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
        if (vfs.isSingleRoot() && changes(name, a) && readOnlyTarget(name, a, summary)) {
            return Rules.READ_ONLY;
        }
        return null;
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

    /** In a single-root filesystem: whether a changing path call targets a read-only mount. */
    private boolean readOnlyTarget(String name, long[] a, Map<String, Object> summary) {
        int fd;
        int newFd;
        switch (name) {
            case "path_symlink":
                fd = (int) a[2];
                newFd = fd;
                break;
            case "path_rename":
                fd = (int) a[0];
                newFd = (int) a[3];
                break;
            case "path_link":
                fd = (int) a[0];
                newFd = (int) a[4];
                break;
            default:
                fd = (int) a[0];
                newFd = fd;
        }
        Object p = summary.get("path");
        Object q = summary.get("newPath");
        Path target = p instanceof String ? fds.resolve(fd, (String) p) : null;
        Path other = q instanceof String ? fds.resolve(newFd, (String) q) : null;
        boolean sourceUnchanged = name.equals("path_link");
        return (!sourceUnchanged && target != null && vfs.readOnly(target))
                || (other != null && vfs.readOnly(other));
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

    private boolean readOnly(int fd) {
        Integer v = fds.volume(fd);
        return v != null && vfs.isReadOnly(v);
    }
}
