package dev.airlock.core.engine;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import dev.airlock.core.ClockMode;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.mediation.Mediator;
import dev.airlock.core.mediation.OutputBudget;
import dev.airlock.core.mediation.Rules;
import dev.airlock.core.mediation.Verdict;
import dev.airlock.core.vfs.QuotaExceededException;
import dev.airlock.core.vfs.VirtualFileSystem;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * WASI preview 1 for one run: Chicory's implementation over the virtual filesystem, with every
 * function wrapped so that it passes the {@link Mediator}, plus Airlock's own clock and the
 * read-only and quota checks that need to know which mount a descriptor belongs to.
 */
final class WasiBinding {
    static final String MODULE = "wasi_snapshot_preview1";
    private static final long FROZEN_EPOCH_NANOS = 946_684_800L * 1_000_000_000L;
    private static final int MAX_SUMMARY_PATH = 1024;
    private static final int O_CREAT = 1;
    private static final int O_TRUNC = 8;
    private static final long RIGHT_FD_WRITE = 1L << 6;
    private static final int FDFLAG_APPEND = 1;
    private static final int EXDEV = 75;
    private static final int EINVAL = 28;

    private final Policy policy;
    private final VirtualFileSystem vfs;
    private final Mediator mediator;
    private final WasiPreview1 wasi;

    /** Descriptor to volume index, for the descriptors that live in a mount. */
    private final Map<Integer, Integer> fdVolume = new HashMap<>();

    private final long monotonicOrigin = System.nanoTime();

    WasiBinding(
            Policy policy,
            byte[] stdin,
            VirtualFileSystem vfs,
            Mediator mediator,
            OutputBudget budget,
            OutputStream stdout,
            OutputStream stderr) {
        this.policy = policy;
        this.vfs = vfs;
        this.mediator = mediator;
        List<String> argv = new ArrayList<>();
        argv.add(policy.programName());
        argv.addAll(policy.args());
        WasiOptions.Builder o =
                WasiOptions.builder()
                        .withArguments(argv)
                        .withStdin(new ByteArrayInputStream(stdin), false)
                        .withStdout(budget.stream(stdout, false), false)
                        .withStderr(budget.stream(stderr, true), false)
                        .withClock(wallClock(policy.clock()))
                        .withRandom(random(policy.random()));
        policy.env().forEach(o::withEnvironment);
        for (int i = 0; i < vfs.size(); i++) {
            o.withDirectory(vfs.mount(i).guestPath(), vfs.root(i));
            fdVolume.put(3 + i, i);
        }
        this.wasi = WasiPreview1.builder().withOptions(o.build()).build();
    }

    private static Clock wallClock(ClockMode mode) {
        if (mode == ClockMode.FROZEN) {
            return Clock.fixed(Instant.ofEpochSecond(946_684_800L), ZoneOffset.UTC);
        }
        return Clock.tick(Clock.systemUTC(), java.time.Duration.ofMillis(1));
    }

    private static Random random(RandomMode mode) {
        return mode.kind() == RandomMode.Kind.SEEDED ? new Random(mode.seed()) : new SecureRandom();
    }

    /** The mediated host functions. */
    HostFunction[] functions() {
        HostFunction[] raw = wasi.toHostFunctions();
        HostFunction[] out = new HostFunction[raw.length];
        for (int i = 0; i < raw.length; i++) {
            HostFunction h = raw[i];
            String name = h.name();
            out[i] =
                    new HostFunction(
                            h.module(),
                            name,
                            h.functionType(),
                            (inst, args) -> mediate(h, name, inst, args));
        }
        return out;
    }

    private long[] mediate(HostFunction h, String name, Instance inst, long[] args) {
        Map<String, Object> summary = summarize(name, inst, args);
        long r =
                mediator.call(
                        MODULE,
                        name,
                        summary,
                        readOnlyVerdict(name, args),
                        () -> {
                            long v = invoke(h, name, inst, args);
                            afterCall(name, inst, args, v, summary);
                            return v;
                        });
        return h.functionType().returns().isEmpty() ? null : new long[] {r};
    }

    private long invoke(HostFunction h, String name, Instance inst, long[] args) {
        if (name.equals("path_link") && differentVolumes((int) args[0], (int) args[4])) {
            // a hard link cannot join two volumes: the file system would throw, and the
            // exception would end the run as a trap
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
            default:
                long[] r = h.handle().apply(inst, args);
                return r == null || r.length == 0 ? 0 : r[0];
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
        return v != null && vfs.mount(v).mode() == Mount.Mode.READ_ONLY;
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
                    summary.put("newFd", fd);
                }
                created = ((int) a[4] & O_CREAT) != 0;
                break;
            case "fd_close":
                if (ok) {
                    fdVolume.remove((int) a[0]);
                }
                break;
            case "fd_renumber":
                if (ok) {
                    Integer vol = fdVolume.remove((int) a[0]);
                    fdVolume.remove((int) a[1]);
                    if (vol != null) {
                        fdVolume.put((int) a[1], vol);
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

    private static Map<String, Object> summarize(String name, Instance inst, long[] a) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (name) {
            case "path_open":
            case "path_filestat_get":
            case "path_filestat_set_times":
                m.put("fd", (int) a[0]);
                m.put("path", path(inst, a[2], a[3]));
                break;
            case "path_create_directory":
            case "path_remove_directory":
            case "path_unlink_file":
            case "path_readlink":
                m.put("fd", (int) a[0]);
                m.put("path", path(inst, a[1], a[2]));
                break;
            case "path_rename":
                m.put("fd", (int) a[0]);
                m.put("path", path(inst, a[1], a[2]));
                m.put("newFd", (int) a[3]);
                m.put("newPath", path(inst, a[4], a[5]));
                break;
            case "path_link":
                m.put("fd", (int) a[0]);
                m.put("path", path(inst, a[2], a[3]));
                m.put("newFd", (int) a[4]);
                m.put("newPath", path(inst, a[5], a[6]));
                break;
            case "path_symlink":
                m.put("target", path(inst, a[0], a[1]));
                m.put("fd", (int) a[2]);
                m.put("path", path(inst, a[3], a[4]));
                break;
            case "random_get":
                m.put("len", (int) a[1]);
                break;
            case "clock_time_get":
            case "clock_res_get":
                m.put("clock", (int) a[0]);
                break;
            case "proc_exit":
            case "proc_raise":
                m.put("code", (int) a[0]);
                break;
            default:
                if (name.startsWith("fd_") || name.startsWith("sock_")) {
                    m.put("fd", (int) a[0]);
                }
                break;
        }
        return m;
    }

    private static String path(Instance inst, long ptr, long len) {
        if (len < 0 || len > MAX_SUMMARY_PATH) {
            return "<" + len + " bytes>";
        }
        try {
            return inst.memory().readString((int) ptr, (int) len);
        } catch (RuntimeException e) {
            return "<out of bounds>";
        }
    }
}
