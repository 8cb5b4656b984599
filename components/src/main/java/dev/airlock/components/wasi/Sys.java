package dev.airlock.components.wasi;

import dev.airlock.core.GuestMemory;
import dev.airlock.core.Preview1;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * WASI preview 1 calls over the scratch memory, for the WASI 0.2 functions: each puts its arguments
 * in scratch memory, calls the mediated preview 1 function and reads its results back. Scratch
 * layout: results from 0, an iovec at 64, a path at 256, a second path at 256 + 64 KiB, data from
 * 128 KiB.
 */
final class Sys {
    static final int EBADF = 8;
    static final int OUT = 0;
    static final int IOV = 64;
    static final int PATH = 256;
    static final int PATH2 = 256 + (64 << 10);
    static final int DATA = 128 << 10;

    /** The most bytes one read or write moves. */
    static final int MAX_IO = 1 << 20;

    /** A preview 1 errno. */
    static final class Errno extends Exception {
        private static final long serialVersionUID = 1L;
        final int errno;

        Errno(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }

    private Sys() {}

    private static void ok(int errno) throws Errno {
        if (errno != 0) {
            throw new Errno(errno);
        }
    }

    static byte[] read(Call c, int fd, long len, long offset) throws Errno {
        int n = (int) Math.min(Math.max(len, 0), MAX_IO);
        GuestMemory m = c.scratch(DATA + (long) n);
        m.writeInt(IOV, DATA);
        m.writeInt(IOV + 4, n);
        if (offset < 0) {
            ok(c.p1().call("fd_read", fd, IOV, 1, OUT));
        } else {
            ok(c.p1().call("fd_pread", fd, IOV, 1, offset, OUT));
        }
        int got = m.readInt(OUT);
        return m.readBytes(DATA, got);
    }

    /** Writes all of {@code data}; returns how many bytes were written. */
    static long write(Call c, int fd, byte[] data, long offset) throws Errno {
        long done = 0;
        while (done < data.length) {
            int n = (int) Math.min(data.length - done, MAX_IO);
            GuestMemory m = c.scratch(DATA + (long) n);
            m.writeBytes(DATA, data, (int) done, n);
            m.writeInt(IOV, DATA);
            m.writeInt(IOV + 4, n);
            if (offset < 0) {
                ok(c.p1().call("fd_write", fd, IOV, 1, OUT));
            } else {
                ok(c.p1().call("fd_pwrite", fd, IOV, 1, offset + done, OUT));
            }
            int wrote = m.readInt(OUT);
            if (wrote <= 0) {
                break;
            }
            done += wrote;
        }
        return done;
    }

    static long u64(GuestMemory m, long at) {
        byte[] b = m.readBytes(at, 8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    /** clock_time_get: nanoseconds. */
    static long clock(Call c, int id) throws Errno {
        GuestMemory m = c.scratch(DATA);
        ok(c.p1().call("clock_time_get", id, 1, OUT));
        return u64(m, OUT);
    }

    static byte[] random(Call c, long len) throws Errno {
        int n = (int) Math.min(Math.max(len, 0), MAX_IO);
        GuestMemory m = c.scratch(DATA + (long) n);
        ok(c.p1().call("random_get", DATA, n));
        return m.readBytes(DATA, n);
    }

    /** Arguments or environment entries: {@code args_*} or {@code environ_*}. */
    static List<String> strings(Call c, String prefix) throws Errno {
        GuestMemory m = c.scratch(DATA);
        ok(c.p1().call(prefix + "_sizes_get", OUT, OUT + 4));
        int count = m.readInt(OUT);
        int bytes = m.readInt(OUT + 4);
        if (count < 0 || bytes < 0 || (long) count * 4 + bytes > Preview1.MAX_SCRATCH - DATA) {
            throw new Errno(75);
        }
        m = c.scratch(DATA + (long) count * 4 + bytes);
        int buf = DATA + count * 4;
        ok(c.p1().call(prefix + "_get", DATA, buf));
        byte[] all = m.readBytes(buf, bytes);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length && out.size() < count; i++) {
            if (all[i] == 0) {
                out.add(new String(all, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out;
    }

    /** Preopened folders: descriptor and guest path, from descriptor 3 up. */
    static List<Object[]> preopens(Call c) {
        List<Object[]> out = new ArrayList<>();
        GuestMemory m = c.scratch(DATA + 4096);
        for (int fd = 3; fd < 3 + 1024; fd++) {
            if (c.p1().call("fd_prestat_get", fd, OUT) != 0) {
                break;
            }
            int len = m.readInt(OUT + 4);
            if (len < 0 || len > 4096 || c.p1().call("fd_prestat_dir_name", fd, DATA, len) != 0) {
                break;
            }
            out.add(new Object[] {fd, new String(m.readBytes(DATA, len), StandardCharsets.UTF_8)});
        }
        return out;
    }

    /** Puts a path in scratch memory at {@code at}; returns its length. */
    static int path(Call c, int at, byte[] path) throws Errno {
        if (path.length > 60_000) {
            throw new Errno(37);
        }
        c.scratch(DATA).writeBytes(at, path);
        return path.length;
    }

    /** Calls a function of (fd, path, path_len): create, remove or unlink. */
    static void pathCall(Call c, String function, int fd, byte[] path) throws Errno {
        int n = path(c, PATH, path);
        ok(c.p1().call(function, fd, PATH, n));
    }

    static void rename(Call c, int fd, byte[] from, int newFd, byte[] to) throws Errno {
        int a = path(c, PATH, from);
        int b = path(c, PATH2, to);
        ok(c.p1().call("path_rename", fd, PATH, a, newFd, PATH2, b));
    }

    /** path_open; returns the new descriptor. */
    static int open(Call c, int fd, int lookup, byte[] path, int oflags, long rights, int fdflags)
            throws Errno {
        int n = path(c, PATH, path);
        ok(c.p1().call("path_open", fd, lookup, PATH, n, oflags, rights, rights, fdflags, OUT));
        return c.scratch(DATA).readInt(OUT);
    }

    /** A filestat (64 bytes) of a descriptor, or of a path under it when {@code path} is set. */
    static GuestMemory stat(Call c, int fd, int lookup, byte[] path) throws Errno {
        GuestMemory m = c.scratch(DATA);
        if (path == null) {
            ok(c.p1().call("fd_filestat_get", fd, OUT));
        } else {
            int n = path(c, PATH, path);
            ok(c.p1().call("path_filestat_get", fd, lookup, PATH, n, OUT));
        }
        return m;
    }

    static void simple(Call c, String function, long... args) throws Errno {
        ok(c.p1().call(function, args));
    }

    /** A folder's entries other than . and ..: names and preview 1 file types. */
    static HostState.Listing list(Call c, int fd) throws Errno {
        List<String> names = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        long cookie = 0;
        int size = 64 << 10;
        GuestMemory m = c.scratch(DATA + (long) size);
        while (names.size() < 100_000) {
            ok(c.p1().call("fd_readdir", fd, DATA, size, cookie, OUT));
            int used = m.readInt(OUT);
            int at = 0;
            boolean any = false;
            while (at + 24 <= used) {
                long nextCookie = u64(m, DATA + at);
                int len = m.readInt(DATA + at + 16);
                int type = m.readBytes(DATA + at + 20, 1)[0];
                if (len < 0 || at + 24 + len > used) {
                    break;
                }
                String name = new String(m.readBytes(DATA + at + 24, len), StandardCharsets.UTF_8);
                if (!name.equals(".") && !name.equals("..")) {
                    names.add(name);
                    types.add(type);
                }
                cookie = nextCookie;
                at += 24 + len;
                any = true;
            }
            if (used < size || !any) {
                break;
            }
        }
        return new HostState.Listing(names, types);
    }
}
