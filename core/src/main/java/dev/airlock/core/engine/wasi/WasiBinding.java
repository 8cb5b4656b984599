package dev.airlock.core.engine.wasi;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import dev.airlock.core.ClockMode;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.engine.host.ToolDevice;
import dev.airlock.core.mediation.Mediator;
import dev.airlock.core.mediation.OutputBudget;
import dev.airlock.core.vfs.QuotaExceededException;
import dev.airlock.core.vfs.VirtualFileSystem;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * WASI preview 1 for one run: Chicory's implementation over the virtual filesystem, with every
 * function wrapped so that it passes the {@link Mediator}, plus Airlock's own clock and the
 * read-only and quota checks that need to know which mount a descriptor belongs to.
 */
public final class WasiBinding {
    public static final String MODULE = "wasi_snapshot_preview1";
    private static final long FROZEN_EPOCH_NANOS = 946_684_800L * 1_000_000_000L;
    private static final int EXDEV = 75;
    private static final int EINVAL = 28;
    private static final int EBADF = 8;

    /** Shared: seeding a SecureRandom per run would cost more than the run. Thread-safe. */
    private static final SecureRandom SECURE = new SecureRandom();

    private final Policy policy;
    private final VirtualFileSystem vfs;
    private Mediator mediator;
    private ToolDevice device;
    private final Clock wallClock;

    /** Chicory's host functions by name, unmediated. */
    private final Map<String, HostFunction> raw = new LinkedHashMap<>();

    private final Descriptors fds = new Descriptors();
    private final FsRules rules;
    private final FileCallFixes fixes;

    private final long monotonicOrigin = System.nanoTime();

    /** Bytes args_get and environ_get copy into the guest, for fuel. */
    private final long argsBytes;

    private final long envBytes;

    public WasiBinding(
            Policy policy,
            InputStream stdin,
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
    public WasiBinding(
            Policy policy,
            InputStream stdin,
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
                        .withStdin(stdin, false)
                        .withStdout(countedStdout, false)
                        .withStderr(countedStderr, false)
                        .withClock(wallClock)
                        .withRandom(random(policy.random()));
        policy.env().forEach(o::withEnvironment);
        for (int i = 0; i < vfs.size(); i++) {
            o.withDirectory(vfs.guestPath(i), vfs.root(i));
            fds.preopen(3 + i, i, vfs.root(i));
        }
        WasiPreview1 wasi =
                WasiPreview1.builder()
                        .withLogger(SilentLogger.INSTANCE)
                        .withOptions(o.build())
                        .build();
        for (HostFunction h : wasi.toHostFunctions()) {
            raw.put(h.name(), h);
        }
        this.rules = new FsRules(vfs, fds);
        this.fixes = new FileCallFixes(fds, raw.get("fd_seek"), wallClock);
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
    public void rebind(Mediator mediator) {
        this.mediator = mediator;
    }

    /** Serves the tool device's descriptors from now on. */
    public void device(ToolDevice device) {
        this.device = device;
    }

    /** The mediated host functions. */
    public HostFunction[] functions() {
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
                        rules.verdict(name, args, summary),
                        () -> {
                            long v;
                            try {
                                v = invoke(h, name, inst, args);
                            } catch (RuntimeException e) {
                                v = HostFaults.errno(e, mediator, summary);
                            }
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
        if (movesData(name) && !HostFaults.iovecsFit(inst, args[1], args[2])) {
            return HostFaults.EFAULT;
        }
        if (device != null && device.owns((int) args[0])) {
            if (name.equals("fd_write")) {
                return device.write(inst, args);
            }
            if (name.equals("fd_read")) {
                return device.read(inst, args);
            }
        }
        if (name.equals("path_link") && fds.differentVolumes((int) args[0], (int) args[4])
                || name.equals("path_rename")
                        && fds.differentVolumes((int) args[0], (int) args[3])) {
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
                return fixes.pathOpen(h, inst, args);
            case "fd_write":
                return fixes.fdWrite(h, inst, args);
            case "fd_fdstat_get":
                return fixes.fdFdstatGet(h, inst, args);
            case "fd_fdstat_set_flags":
                return fixes.fdFdstatSetFlags(h, inst, args);
            case "path_filestat_set_times":
                return fixes.pathFilestatSetTimes(h, inst, args);
            case "path_symlink":
                return fixes.pathSymlink(h, inst, args);
            case "fd_filestat_get":
                Path dir = fds.directory((int) args[0]);
                return dir != null
                        ? HostFaults.directoryFilestat(dir, inst.memory(), (int) args[1])
                        : FileCallFixes.apply(h, inst, args);
            case "fd_fdstat_set_rights":
                // Chicory answers ENOTSUP even for a descriptor that is not open
                long open = FileCallFixes.apply(raw.get("sock_shutdown"), inst, args[0], 0);
                return open == EBADF ? EBADF : FileCallFixes.apply(h, inst, args);
            default:
                if (name.startsWith("sock_")) {
                    // no descriptor is ever a socket: Chicory's sock_shutdown answers EBADF for a
                    // closed descriptor and ENOTSOCK for any other, without touching anything
                    return FileCallFixes.apply(raw.get("sock_shutdown"), inst, args[0], 0);
                }
                return FileCallFixes.apply(h, inst, args);
        }
    }

    /** fd_read, fd_pread, fd_write and fd_pwrite, whose arguments are (fd, iovs, iovs_len, ...). */
    private static boolean movesData(String name) {
        switch (name) {
            case "fd_read":
            case "fd_pread":
            case "fd_write":
            case "fd_pwrite":
                return true;
            default:
                return false;
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

    private void afterCall(
            String name, Instance inst, long[] a, long result, Map<String, Object> summary) {
        boolean ok = result == 0;
        boolean created = false;
        switch (name) {
            case "path_open":
                if (ok) {
                    int fd = inst.memory().readInt((int) a[8]);
                    Path opened = fds.resolve((int) a[0], FileCallFixes.readPath(inst, a[2], a[3]));
                    fds.opened(fd, (int) a[0], opened);
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
                created = ((int) a[4] & FsRules.O_CREAT) != 0;
                break;
            case "fd_close":
                if (ok) {
                    fds.forget((int) a[0]);
                    if (device != null) {
                        device.closed((int) a[0]);
                    }
                }
                break;
            case "fd_renumber":
                if (ok) {
                    fds.renumber((int) a[0], (int) a[1]);
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

    private boolean writesData(String name, long[] a) {
        switch (name) {
            case "fd_write":
            case "fd_pwrite":
            case "fd_allocate":
            case "fd_filestat_set_size":
                return fds.inVolume((int) a[0]);
            default:
                return false;
        }
    }
}
