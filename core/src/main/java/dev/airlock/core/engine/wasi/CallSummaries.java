package dev.airlock.core.engine.wasi;

import com.dylibso.chicory.runtime.Instance;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small summaries of WASI call arguments for events: descriptors, paths, sizes and counts, never
 * whole buffers. Paths longer than 1 KiB are reported by length only.
 */
final class CallSummaries {
    private static final int MAX_SUMMARY_PATH = 1024;

    private CallSummaries() {}

    static Map<String, Object> summarize(String name, Instance inst, long[] a) {
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

    /**
     * Bytes a WASI call copied between guest memory and the host, for fuel: data read or written,
     * random bytes, directory entries and link targets on success, and path arguments always.
     * Arguments and environment are counted by the caller, which knows their size.
     */
    static long copied(String name, Instance inst, long[] a, long result) {
        boolean ok = result == 0;
        try {
            switch (name) {
                case "fd_write":
                case "fd_read":
                    return ok ? Integer.toUnsignedLong(inst.memory().readInt((int) a[3])) : 0;
                case "fd_pwrite":
                case "fd_pread":
                case "fd_readdir":
                    return ok ? Integer.toUnsignedLong(inst.memory().readInt((int) a[4])) : 0;
                case "random_get":
                    return ok ? a[1] : 0;
                case "fd_prestat_dir_name":
                    return ok ? a[2] : 0;
                case "path_readlink":
                    return a[2]
                            + (ok ? Integer.toUnsignedLong(inst.memory().readInt((int) a[5])) : 0);
                case "path_open":
                case "path_filestat_get":
                case "path_filestat_set_times":
                    return a[3];
                case "path_create_directory":
                case "path_remove_directory":
                case "path_unlink_file":
                    return a[2];
                case "path_rename":
                    return a[2] + a[5];
                case "path_link":
                    return a[3] + a[6];
                case "path_symlink":
                    return a[1] + a[4];
                default:
                    return 0;
            }
        } catch (RuntimeException e) {
            return 0;
        }
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
