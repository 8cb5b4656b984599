package dev.airlock.core.engine.wasi;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExecutionCompletedException;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiExitException;
import dev.airlock.core.TrapKind;
import dev.airlock.core.engine.memory.ShadowStackOverflow;
import dev.airlock.core.engine.run.Traps;
import dev.airlock.core.mediation.Mediator;
import dev.airlock.core.mediation.RunStoppedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keeps host exceptions away from the guest: the WASI calls where Chicory would throw instead of
 * answering an errno are answered here, and any other unexpected exception of a WASI call becomes
 * {@code EIO} with a {@code fault} in the call's event that names no host class.
 */
final class HostFaults {
    static final int EFAULT = 21;
    static final int EIO = 29;
    private static final int FILETYPE_DIRECTORY = 3;

    /** What the event of a call that failed in the host says, instead of the exception. */
    static final String FAULT = "the host failed to carry out the call";

    private HostFaults() {}

    /**
     * Whether every iovec of an {@code fd_read}, {@code fd_pread}, {@code fd_write} or {@code
     * fd_pwrite} lies inside guest memory. Chicory allocates a host buffer of each iovec's length
     * before it looks at memory, so a length past memory would cost host memory or throw.
     */
    static boolean iovecsFit(Instance inst, long iovs, long count) {
        Memory m = inst.memory();
        if (m == null) {
            return count == 0;
        }
        long size = (long) m.pages() * Memory.PAGE_SIZE;
        long n = Integer.toUnsignedLong((int) count);
        for (long i = 0; i < n; i++) {
            int at = (int) (iovs + i * 8);
            long base = Integer.toUnsignedLong(m.readInt(at));
            long len = Integer.toUnsignedLong(m.readInt(at + 4));
            if (base + len > size) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code fd_filestat_get} on a directory descriptor, which Chicory cannot answer for a
     * preopened directory.
     */
    static long directoryFilestat(Path dir, Memory m, int buf) {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(dir, "unix:*");
        } catch (IOException | UnsupportedOperationException e) {
            return EIO;
        }
        m.writeLong(buf, ((Number) a.get("dev")).longValue());
        m.writeLong(buf + 8, ((Number) a.get("ino")).longValue());
        m.write(buf + 16, new byte[8]);
        m.writeByte(buf + 16, (byte) FILETYPE_DIRECTORY);
        m.writeLong(buf + 24, ((Number) a.get("nlink")).longValue());
        m.writeLong(buf + 32, ((Number) a.get("size")).longValue());
        m.writeLong(buf + 40, nanos(a.get("lastAccessTime")));
        m.writeLong(buf + 48, nanos(a.get("lastModifiedTime")));
        m.writeLong(buf + 56, nanos(a.get("ctime")));
        return 0;
    }

    private static long nanos(Object time) {
        return time instanceof FileTime ? ((FileTime) time).to(TimeUnit.NANOSECONDS) : 0;
    }

    /**
     * The errno for an exception a WASI call threw: rethrown when it ends the run on purpose (an
     * exit, a stop, an interruption, a trap on a guest pointer outside memory), else {@code EIO}
     * with {@link #FAULT} in {@code summary}.
     */
    static long errno(RuntimeException e, Mediator mediator, Map<String, Object> summary) {
        if (endsTheRun(e)
                || mediator.stopKind() != null
                || Thread.currentThread().isInterrupted()) {
            throw e;
        }
        summary.put("fault", FAULT);
        return EIO;
    }

    private static boolean endsTheRun(RuntimeException e) {
        if (e instanceof RunStoppedException
                || e instanceof WasiExitException
                || e instanceof ExecutionCompletedException
                || e instanceof ChicoryInterruptedException
                || e instanceof ShadowStackOverflow) {
            return true;
        }
        String m = e.getMessage();
        return m != null && Traps.trapKind(m) == TrapKind.OUT_OF_BOUNDS_MEMORY;
    }
}
