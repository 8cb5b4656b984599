package dev.airlock.core.engine.wasi;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;

/**
 * Where Chicory's WASI file calls differ from what POSIX and WASI specify, Airlock's versions: the
 * {@code APPEND} mode emulated, the times of a symbolic link itself, the errno of a symbolic link
 * path with a trailing slash.
 */
final class FileCallFixes {
    private static final int LOOKUP_SYMLINK_FOLLOW = 1;
    private static final int FST_ATIM = 1;
    private static final int FST_ATIM_NOW = 2;
    private static final int FST_MTIM = 4;
    private static final int FST_MTIM_NOW = 8;
    private static final int EEXIST = 20;
    private static final int EINVAL = 28;
    private static final int EIO = 29;
    private static final int ENOENT = 44;

    private final Descriptors fds;
    private final HostFunction seek;
    private final Clock wallClock;

    FileCallFixes(Descriptors fds, HostFunction seek, Clock wallClock) {
        this.fds = fds;
        this.seek = seek;
        this.wallClock = wallClock;
    }

    static long apply(HostFunction h, Instance inst, long... args) {
        long[] r = h.handle().apply(inst, args);
        return r == null || r.length == 0 ? 0 : r[0];
    }

    static String readPath(Instance inst, long ptr, long len) {
        try {
            return inst.memory().readString((int) ptr, (int) len);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Files opened with the {@code APPEND} flag are opened in Chicory without it and appended to by
     * Airlock: Chicory opens them with Java's {@code APPEND}, which cannot be read, truncated on
     * open, written at an offset or switched off later (all allowed by POSIX and WASI).
     */
    long pathOpen(HostFunction h, Instance inst, long[] a) {
        int fdflags = (int) a[7];
        if ((fdflags & FsRules.FDFLAG_APPEND) == 0) {
            return apply(h, inst, a);
        }
        long[] b = a.clone();
        b[7] = fdflags & ~FsRules.FDFLAG_APPEND;
        long r = apply(h, inst, b);
        if (r == 0) {
            // dropped again when the descriptor turns out to be a directory
            fds.setAppend(inst.memory().readInt((int) a[8]), true);
        }
        return r;
    }

    /** An append-mode write goes to the end of the file, wherever the offset was. */
    long fdWrite(HostFunction h, Instance inst, long[] a) {
        if (fds.isAppend((int) a[0])) {
            long r = borrowing(inst, scratch -> apply(seek, inst, a[0], 0, 2, scratch));
            if (r != 0) {
                return r;
            }
        }
        return apply(h, inst, a);
    }

    /** Adds the emulated {@code APPEND} flag to what Chicory reports. */
    long fdFdstatGet(HostFunction h, Instance inst, long[] a) {
        long r = apply(h, inst, a);
        if (r == 0 && fds.isAppend((int) a[0])) {
            Memory m = inst.memory();
            int at = (int) a[1] + 2;
            m.writeShort(at, (short) (m.readShort(at) | FsRules.FDFLAG_APPEND));
        }
        return r;
    }

    /** Switches the emulated {@code APPEND} flag; Chicory sees the other flags only. */
    long fdFdstatSetFlags(HostFunction h, Instance inst, long[] a) {
        int fd = (int) a[0];
        int flags = (int) a[1];
        long r = apply(h, inst, fd, flags & ~FsRules.FDFLAG_APPEND);
        if (r == 0 && fds.isFile(fd)) {
            fds.setAppend(fd, (flags & FsRules.FDFLAG_APPEND) != 0);
        }
        return r;
    }

    /**
     * Runs a raw call that needs 8 bytes of guest memory for a result nobody reads: bytes 0 to 7
     * are lent and restored before the guest runs again.
     */
    private static long borrowing(Instance inst, IntToLongFunction call) {
        Memory m = inst.memory();
        if (m == null || m.pages() == 0) {
            return 0; // no memory: the guest's own call fails on its pointers anyway
        }
        byte[] saved = m.readBytes(0, 8);
        try {
            return call.applyAsLong(0);
        } finally {
            m.write(0, saved);
        }
    }

    /**
     * Chicory always follows a final symbolic link here; without {@code SYMLINK_FOLLOW} the times
     * of the link itself are set.
     */
    long pathFilestatSetTimes(HostFunction h, Instance inst, long[] a) {
        if (((int) a[1] & LOOKUP_SYMLINK_FOLLOW) == 0) {
            Path p = fds.resolve((int) a[0], readPath(inst, a[2], a[3]));
            if (p != null && Files.isSymbolicLink(p)) {
                return setLinkTimes(p, a[4], a[5], (int) a[6]);
            }
        }
        return apply(h, inst, a);
    }

    private long setLinkTimes(Path link, long atim, long mtim, int flags) {
        boolean mSet = (flags & FST_MTIM) != 0;
        boolean mNow = (flags & FST_MTIM_NOW) != 0;
        boolean aSet = (flags & FST_ATIM) != 0;
        boolean aNow = (flags & FST_ATIM_NOW) != 0;
        if ((mSet && mNow) || (aSet && aNow)) {
            return EINVAL;
        }
        try {
            Files.getFileAttributeView(
                            link, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(fileTime(mtim, mSet, mNow), fileTime(atim, aSet, aNow), null);
        } catch (IOException e) {
            return EIO;
        }
        return 0;
    }

    private FileTime fileTime(long nanos, boolean set, boolean now) {
        if (set) {
            return FileTime.from(nanos, TimeUnit.NANOSECONDS);
        }
        return now ? FileTime.from(wallClock.instant()) : null;
    }

    /**
     * Chicory answers {@code EEXIST} to any link path with a trailing slash; when nothing is there,
     * the answer is {@code ENOENT}.
     */
    long pathSymlink(HostFunction h, Instance inst, long[] a) {
        long r = apply(h, inst, a);
        if (r == EEXIST) {
            String path = readPath(inst, a[3], a[4]);
            if (path != null && path.endsWith("/")) {
                Path p = fds.resolve((int) a[2], path);
                if (p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    return ENOENT;
                }
            }
        }
        return r;
    }
}
