package dev.airlock.core.engine;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import dev.airlock.core.ClockMode;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.mediation.Mediator;
import dev.airlock.core.mediation.OutputBudget;
import dev.airlock.core.mediation.Rules;
import dev.airlock.core.mediation.Verdict;
import dev.airlock.core.vfs.QuotaExceededException;
import dev.airlock.core.vfs.VirtualFileSystem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;

/**
 * WASI preview 1 for one run: Chicory's implementation over the virtual filesystem, with every
 * function wrapped so that it passes the {@link Mediator}, plus Airlock's own clock and the
 * read-only and quota checks that need to know which mount a descriptor belongs to.
 */
final class WasiBinding {
    static final String MODULE = "wasi_snapshot_preview1";
    private static final long FROZEN_EPOCH_NANOS = 946_684_800L * 1_000_000_000L;
    private static final int O_CREAT = 1;
    private static final int O_TRUNC = 8;
    private static final long RIGHT_FD_WRITE = 1L << 6;
    private static final int FDFLAG_APPEND = 1;
    private static final int EXDEV = 75;
    private static final int EINVAL = 28;

    /** Shared: seeding a SecureRandom per run would cost more than the run. Thread-safe. */
    private static final SecureRandom SECURE = new SecureRandom();

    private static final int LOOKUP_SYMLINK_FOLLOW = 1;
    private static final int FST_ATIM = 1;
    private static final int FST_ATIM_NOW = 2;
    private static final int FST_MTIM = 4;
    private static final int FST_MTIM_NOW = 8;
    private static final int EEXIST = 20;
    private static final int EIO = 29;
    private static final int ENOENT = 44;

    private final Policy policy;
    private final VirtualFileSystem vfs;
    private Mediator mediator;
    private ToolDevice device;
    private final Clock wallClock;

    /** Chicory's host functions by name, unmediated. */
    private final Map<String, HostFunction> raw = new LinkedHashMap<>();

    /** Descriptor to volume index, for the descriptors that live in a mount. */
    private final Map<Integer, Integer> fdVolume = new HashMap<>();

    /**
     * Directory descriptor to the in-volume folder it was opened on, for the few calls that Airlock
     * answers itself where Chicory's answer is wrong.
     */
    private final Map<Integer, Path> fdDir = new HashMap<>();

    /** Descriptors of regular files opened by the guest. */
    private final Set<Integer> fileFds = new HashSet<>();

    /** The file descriptors in append mode, which Airlock emulates (see {@link #pathOpen}). */
    private final Set<Integer> appendFds = new HashSet<>();

    private final long monotonicOrigin = System.nanoTime();

    /** Bytes args_get and environ_get copy into the guest, for fuel. */
    private final long argsBytes;

    private final long envBytes;

    WasiBinding(
            Policy policy,
            byte[] stdin,
            VirtualFileSystem vfs,
            Mediator mediator,
            OutputBudget budget,
            OutputStream stdout,
            OutputStream stderr) {
        this(
                policy,
                stdin,
                vfs,
                mediator,
                budget.stream(stdout, false),
                budget.stream(stderr, true));
    }

    /**
     * A binding whose output streams are already counted against an output budget (a long-lived
     * instance switches them per call).
     */
    WasiBinding(
            Policy policy,
            byte[] stdin,
            VirtualFileSystem vfs,
            Mediator mediator,
            OutputStream countedStdout,
            OutputStream countedStderr) {
        this.policy = policy;
        this.vfs = vfs;
        this.mediator = mediator;
        this.wallClock = wallClock(policy.clock());
        List<String> argv = new ArrayList<>();
        argv.add(policy.programName());
        argv.addAll(policy.args());
        long n = 0;
        for (String arg : argv) {
            n += arg.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        this.argsBytes = n;
        n = 0;
        for (Map.Entry<String, String> e : policy.env().entrySet()) {
            n += (e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8).length + 1;
        }
        this.envBytes = n;
        WasiOptions.Builder o =
                WasiOptions.builder()
                        .withArguments(argv)
                        .withStdin(new ByteArrayInputStream(stdin), false)
                        .withStdout(countedStdout, false)
                        .withStderr(countedStderr, false)
                        .withClock(wallClock)
                        .withRandom(random(policy.random()));
        policy.env().forEach(o::withEnvironment);
        for (int i = 0; i < vfs.size(); i++) {
            o.withDirectory(vfs.guestPath(i), vfs.root(i));
            fdVolume.put(3 + i, i);
            fdDir.put(3 + i, vfs.root(i));
        }
        WasiPreview1 wasi =
                WasiPreview1.builder()
                        .withLogger(SilentLogger.INSTANCE)
                        .withOptions(o.build())
                        .build();
        for (HostFunction h : wasi.toHostFunctions()) {
            raw.put(h.name(), h);
        }
    }

    private static Clock wallClock(ClockMode mode) {
        if (mode == ClockMode.FROZEN) {
            return Clock.fixed(Instant.ofEpochSecond(946_684_800L), ZoneOffset.UTC);
        }
        return Clock.tick(Clock.systemUTC(), java.time.Duration.ofMillis(1));
    }

    private static Random random(RandomMode mode) {
        return mode.kind() == RandomMode.Kind.SEEDED ? new Random(mode.seed()) : SECURE;
    }

    /** Switches to the mediator of the next call of a long-lived instance. */
    void rebind(Mediator mediator) {
        this.mediator = mediator;
    }

    /** Serves the tool device's descriptors from now on. */
    void device(ToolDevice device) {
        this.device = device;
    }

    /** The mediated host functions. */
    HostFunction[] functions() {
        HostFunction[] out = new HostFunction[raw.size()];
        int i = 0;
        for (HostFunction h : raw.values()) {
            String name = h.name();
            out[i++] =
                    new HostFunction(
                            h.module(),
                            name,
                            h.functionType(),
                            (inst, args) -> mediate(h, name, inst, args));
        }
        return out;
    }

    private long[] mediate(HostFunction h, String name, Instance inst, long[] args) {
        Map<String, Object> summary = CallSummaries.summarize(name, inst, args);
        long r =
                mediator.call(
                        MODULE,
                        name,
                        summary,
                        fsVerdict(name, args, summary),
                        () -> {
                            long v = invoke(h, name, inst, args);
                            afterCall(name, inst, args, v, summary);
                            mediator.chargeCopied(copied(name, inst, args, v));
                            return v;
                        });
        return h.functionType().returns().isEmpty() ? null : new long[] {r};
    }

    private long copied(String name, Instance inst, long[] args, long result) {
        if (result != 0) {
            return CallSummaries.copied(name, inst, args, result);
        }
        switch (name) {
            case "args_get":
                return argsBytes;
            case "environ_get":
                return envBytes;
            default:
                return CallSummaries.copied(name, inst, args, result);
        }
    }

    private long invoke(HostFunction h, String name, Instance inst, long[] args) {
        if (device != null && device.owns((int) args[0])) {
            if (name.equals("fd_write")) {
                return device.write(inst, args);
            }
            if (name.equals("fd_read")) {
                return device.read(inst, args);
            }
        }
        if (name.equals("path_link") && differentVolumes((int) args[0], (int) args[4])
                || name.equals("path_rename") && differentVolumes((int) args[0], (int) args[3])) {
            // a hard link or a rename cannot join two volumes (two mounts), as across devices
            return EXDEV;
        }
        switch (name) {
            case "clock_time_get":
                return clockTimeGet(inst.memory(), (int) args[0], (int) args[2]);
            case "clock_res_get":
                if (args[0] < 0 || args[0] > 3) {
                    return EINVAL;
                }
                inst.memory().writeLong((int) args[1], 1_000_000L);
                return 0;
            case "path_open":
                return pathOpen(h, inst, args);
            case "fd_write":
                return fdWrite(h, inst, args);
            case "fd_fdstat_get":
                return fdFdstatGet(h, inst, args);
            case "fd_fdstat_set_flags":
                return fdFdstatSetFlags(h, inst, args);
            case "path_filestat_set_times":
                return pathFilestatSetTimes(h, inst, args);
            case "path_symlink":
                return pathSymlink(h, inst, args);
            default:
                if (name.startsWith("sock_")) {
                    // no descriptor is ever a socket: Chicory's sock_shutdown answers EBADF for a
                    // closed descriptor and ENOTSOCK for any other, without touching anything
                    return apply(raw.get("sock_shutdown"), inst, args[0], 0);
                }
                return apply(h, inst, args);
        }
    }

    private static long apply(HostFunction h, Instance inst, long... args) {
        long[] r = h.handle().apply(inst, args);
        return r == null || r.length == 0 ? 0 : r[0];
    }

    /**
     * Files opened with the {@code APPEND} flag are opened in Chicory without it and appended to by
     * Airlock: Chicory opens them with Java's {@code APPEND}, which cannot be read, truncated on
     * open, written at an offset or switched off later (all allowed by POSIX and WASI).
     */
    private long pathOpen(HostFunction h, Instance inst, long[] a) {
        int fdflags = (int) a[7];
        if ((fdflags & FDFLAG_APPEND) == 0) {
            return apply(h, inst, a);
        }
        long[] b = a.clone();
        b[7] = fdflags & ~FDFLAG_APPEND;
        long r = apply(h, inst, b);
        if (r == 0) {
            // dropped again by track() if it is a directory
            appendFds.add(inst.memory().readInt((int) a[8]));
        }
        return r;
    }

    /** An append-mode write goes to the end of the file, wherever the offset was. */
    private long fdWrite(HostFunction h, Instance inst, long[] a) {
        if (appendFds.contains((int) a[0])) {
            long r =
                    borrowing(
                            inst, scratch -> apply(raw.get("fd_seek"), inst, a[0], 0, 2, scratch));
            if (r != 0) {
                return r;
            }
        }
        return apply(h, inst, a);
    }

    /** Adds the emulated {@code APPEND} flag to what Chicory reports. */
    private long fdFdstatGet(HostFunction h, Instance inst, long[] a) {
        long r = apply(h, inst, a);
        if (r == 0 && appendFds.contains((int) a[0])) {
            Memory m = inst.memory();
            int at = (int) a[1] + 2;
            m.writeShort(at, (short) (m.readShort(at) | FDFLAG_APPEND));
        }
        return r;
    }

    /** Switches the emulated {@code APPEND} flag; Chicory sees the other flags only. */
    private long fdFdstatSetFlags(HostFunction h, Instance inst, long[] a) {
        int fd = (int) a[0];
        int flags = (int) a[1];
        long r = apply(h, inst, fd, flags & ~FDFLAG_APPEND);
        if (r == 0 && fileFds.contains(fd)) {
            if ((flags & FDFLAG_APPEND) != 0) {
                appendFds.add(fd);
            } else {
                appendFds.remove(fd);
            }
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
    private long pathFilestatSetTimes(HostFunction h, Instance inst, long[] a) {
        if (((int) a[1] & LOOKUP_SYMLINK_FOLLOW) == 0) {
            Path p = resolve((int) a[0], readPath(inst, a[2], a[3]));
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
    private long pathSymlink(HostFunction h, Instance inst, long[] a) {
        long r = apply(h, inst, a);
        if (r == EEXIST) {
            String path = readPath(inst, a[3], a[4]);
            if (path != null && path.endsWith("/")) {
                Path p = resolve((int) a[2], path);
                if (p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    return ENOENT;
                }
            }
        }
        return r;
    }

    /**
     * The in-volume path that {@code rawPath} names under directory descriptor {@code dirFd},
     * resolved the way Chicory resolves it; {@code null} if the descriptor is no directory Airlock
     * knows or the path is absolute or leaves the directory.
     */
    private Path resolve(int dirFd, String rawPath) {
        Path dir = fdDir.get(dirFd);
        if (dir == null || rawPath == null) {
            return null;
        }
        Path rel;
        try {
            rel = dir.getFileSystem().getPath(rawPath);
        } catch (InvalidPathException e) {
            return null;
        }
        if (rel.isAbsolute()) {
            return null;
        }
        String n = rel.normalize().toString();
        if (n.equals("..") || n.startsWith("../")) {
            return null;
        }
        return dir.resolve(n);
    }

    private static String readPath(Instance inst, long ptr, long len) {
        try {
            return inst.memory().readString((int) ptr, (int) len);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private long clockTimeGet(Memory memory, int clockId, int resultPtr) {
        long now;
        if (clockId == 0) {
            now =
                    policy.clock() == ClockMode.FROZEN
                            ? FROZEN_EPOCH_NANOS
                            : System.currentTimeMillis() * 1_000_000L;
        } else if (clockId >= 1 && clockId <= 3) {
            now =
                    policy.clock() == ClockMode.FROZEN
                            ? 0
                            : (System.nanoTime() - monotonicOrigin) / 1_000_000L * 1_000_000L;
        } else {
            return EINVAL;
        }
        memory.writeLong(resultPtr, now);
        return 0;
    }

    /**
     * The file rules that need the binding's knowledge of descriptors: read-only mounts, then paths
     * that try to leave their mount ({@code fs.outside-mount}) and path calls when no filesystem is
     * granted ({@code fs.none}). The last two still run, so the guest sees the usual WASI errno;
     * they are recorded as denials for the audit trail.
     */
    private Verdict fsVerdict(String name, long[] a, Map<String, Object> summary) {
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

    /** Whether a path call may change what its path names. */
    private static boolean changes(String name, long[] a) {
        switch (name) {
            case "path_open":
                return ((int) a[4] & (O_CREAT | O_TRUNC)) != 0
                        || (a[5] & RIGHT_FD_WRITE) != 0
                        || ((int) a[7] & FDFLAG_APPEND) != 0;
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
        Path target = p instanceof String ? resolve(fd, (String) p) : null;
        Path other = q instanceof String ? resolve(newFd, (String) q) : null;
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
                // path_open(fd, dirflags, path, path_len, oflags, rights_base,
                //           rights_inheriting, fdflags, fd_ptr)
                boolean writes =
                        ((int) a[4] & (O_CREAT | O_TRUNC)) != 0
                                || (a[5] & RIGHT_FD_WRITE) != 0
                                || ((int) a[7] & FDFLAG_APPEND) != 0;
                return writes && readOnly((int) a[0]) ? Rules.READ_ONLY : null;
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

    private boolean differentVolumes(int fd, int otherFd) {
        Integer v = fdVolume.get(fd);
        Integer w = fdVolume.get(otherFd);
        return v != null && w != null && !v.equals(w);
    }

    private boolean readOnly(int fd) {
        Integer v = fdVolume.get(fd);
        return v != null && vfs.isReadOnly(v);
    }

    private void afterCall(
            String name, Instance inst, long[] a, long result, Map<String, Object> summary) {
        boolean ok = result == 0;
        boolean created = false;
        switch (name) {
            case "path_open":
                if (ok) {
                    int fd = inst.memory().readInt((int) a[8]);
                    Integer vol = fdVolume.get((int) a[0]);
                    if (vol != null) {
                        fdVolume.put(fd, vol);
                    }
                    Path opened = resolve((int) a[0], readPath(inst, a[2], a[3]));
                    track(fd, opened);
                    if (device != null) {
                        if (device.is(opened)) {
                            device.opened(fd);
                            summary.put("device", "tools");
                        } else {
                            device.closed(fd);
                        }
                    }
                    summary.put("newFd", fd);
                }
                created = ((int) a[4] & O_CREAT) != 0;
                break;
            case "fd_close":
                if (ok) {
                    forget((int) a[0]);
                    if (device != null) {
                        device.closed((int) a[0]);
                    }
                }
                break;
            case "fd_renumber":
                if (ok) {
                    Integer vol = fdVolume.remove((int) a[0]);
                    Path dir = fdDir.remove((int) a[0]);
                    boolean file = fileFds.remove((int) a[0]);
                    boolean append = appendFds.remove((int) a[0]);
                    forget((int) a[1]);
                    if (vol != null) {
                        fdVolume.put((int) a[1], vol);
                    }
                    if (dir != null) {
                        fdDir.put((int) a[1], dir);
                    }
                    if (file) {
                        fileFds.add((int) a[1]);
                    }
                    if (append) {
                        appendFds.add((int) a[1]);
                    }
                }
                break;
            case "fd_write":
            case "fd_pwrite":
            case "fd_read":
            case "fd_pread":
                if (ok) {
                    summary.put(
                            "bytes",
                            inst.memory().readInt((int) a[name.startsWith("fd_p") ? 4 : 3]));
                }
                break;
            case "path_create_directory":
            case "path_symlink":
            case "path_link":
            case "path_rename":
                created = true;
                break;
            default:
                break;
        }
        if (created) {
            vfs.recount();
        }
        if (created || writesData(name, a)) {
            try {
                vfs.checkQuota();
            } catch (QuotaExceededException e) {
                throw mediator.stopNow(LimitKind.FS_QUOTA, e.getMessage());
            }
        }
    }

    /** Remembers what a new descriptor was opened on: a directory's folder, or a file. */
    private void track(int fd, Path opened) {
        fdDir.remove(fd);
        if (opened != null && Files.isDirectory(opened)) {
            fileFds.remove(fd);
            appendFds.remove(fd);
            try {
                fdDir.put(fd, opened.toRealPath());
            } catch (IOException | RuntimeException e) {
                // left untracked: Chicory's own answers apply to it
            }
        } else {
            fileFds.add(fd);
        }
    }

    private void forget(int fd) {
        fdVolume.remove(fd);
        fdDir.remove(fd);
        fileFds.remove(fd);
        appendFds.remove(fd);
    }

    private boolean writesData(String name, long[] a) {
        switch (name) {
            case "fd_write":
            case "fd_pwrite":
            case "fd_allocate":
            case "fd_filestat_set_size":
                return fdVolume.containsKey((int) a[0]);
            default:
                return false;
        }
    }
}
