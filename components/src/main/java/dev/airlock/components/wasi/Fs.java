package dev.airlock.components.wasi;

import dev.airlock.components.wasi.HostState.Descriptor;
import dev.airlock.components.wasi.HostState.InStream;
import dev.airlock.components.wasi.HostState.Listing;
import dev.airlock.components.wasi.HostState.OutStream;
import dev.airlock.core.GuestMemory;
import java.util.List;
import java.util.Map;

/**
 * {@code wasi:filesystem} (preopens and the descriptor functions) over WASI preview 1's files: the
 * same mounts, rules and audit. Results are {@code result<T, error-code>}: the discriminant at the
 * return pointer, the payload after it at T's alignment.
 */
final class Fs {
    /** WASI 0.2 descriptor flags. */
    static final int READ = 1;

    static final int WRITE = 2;
    static final int MUTATE_DIRECTORY = 32;

    /** Preview 1 rights for reading and for writing a file or folder. */
    private static final long RIGHTS_READ =
            2L | 4 | 32 | (1L << 13) | (1L << 14) | (1L << 17) | (1L << 18) | (1L << 21) | 1;

    private static final long RIGHTS_WRITE =
            64L
                    | 16
                    | (1L << 8)
                    | (1L << 9)
                    | (1L << 10)
                    | (1L << 11)
                    | (1L << 12)
                    | (1L << 16)
                    | (1L << 19)
                    | (1L << 20)
                    | (1L << 22)
                    | (1L << 24)
                    | (1L << 25)
                    | (1L << 26)
                    | (1L << 27)
                    | 8;

    /** Preview 1 errno to WASI 0.2 error-code, by errno. */
    private static final int[] CODES = new int[77];

    static {
        java.util.Arrays.fill(CODES, 13); // io
        int[][] pairs = {
            {2, 0}, {6, 1}, {7, 2}, {8, 3}, {10, 4}, {16, 5}, {19, 6}, {20, 7}, {22, 8}, {25, 9},
            {26, 10}, {27, 11}, {28, 12}, {29, 13}, {31, 14}, {32, 15}, {34, 16}, {35, 17},
            {37, 18}, {43, 19}, {44, 20}, {46, 21}, {48, 22}, {51, 23}, {54, 24}, {55, 25},
            {56, 26}, {58, 27}, {59, 28}, {60, 29}, {61, 30}, {63, 31}, {64, 32}, {69, 33},
            {70, 34}, {74, 35}, {75, 36}, {76, 0}
        };
        for (int[] p : pairs) {
            CODES[p[0]] = p[1];
        }
    }

    private Fs() {}

    static int code(int errno) {
        return errno >= 0 && errno < CODES.length ? CODES[errno] : 13;
    }

    /** Preview 1 file type to WASI 0.2 descriptor-type. */
    static int type(int filetype) {
        return switch (filetype) {
            case 1, 2, 3 -> filetype;
            case 4 -> 6;
            case 5, 6 -> 7;
            case 7 -> 5;
            default -> 0;
        };
    }

    /** A function that stores its result at the last argument, or an error code on failure. */
    private interface Body {
        void run(Call c, long[] a, long ret) throws Sys.Errno;
    }

    /** A function whose error code lies {@code offset} bytes after the discriminant. */
    private static Wasi2.Impl fallible(int offset, Body b) {
        return (c, a) -> {
            long ret = a[a.length - 1];
            try {
                b.run(c, a, ret);
            } catch (Sys.Errno e) {
                c.u8(ret, 1);
                c.u8(ret + offset, code(e.errno));
            }
            return null;
        };
    }

    static void register(Map<String, Wasi2.Impl> f) {
        String d = "wasi:filesystem/types#[method]descriptor.";
        f.put(
                "wasi:filesystem/preopens#get-directories",
                (c, a) -> {
                    List<Object[]> pre = c.state().preopens(c);
                    int list = c.alloc(12L * pre.size(), 4);
                    for (int i = 0; i < pre.size(); i++) {
                        int fd = (Integer) pre.get(i)[0];
                        c.u32(
                                list + 12L * i,
                                c.own(new Descriptor(fd, READ | MUTATE_DIRECTORY, true)));
                        c.string(list + 12L * i + 4, (String) pre.get(i)[1]);
                    }
                    c.u32(a[0], list);
                    c.u32(a[0] + 4, pre.size());
                    return null;
                });
        f.put(
                d + "read-via-stream",
                fallible(
                        4,
                        (c, a, ret) -> {
                            Descriptor x = c.self(a[0], 0, Descriptor.class);
                            ok(c, ret, 4, c.own(new InStream(x.fd(), a[1])));
                        }));
        f.put(
                d + "write-via-stream",
                fallible(
                        4,
                        (c, a, ret) -> {
                            Descriptor x = c.self(a[0], 0, Descriptor.class);
                            ok(c, ret, 4, c.own(new OutStream(x.fd(), a[1], false)));
                        }));
        f.put(
                d + "append-via-stream",
                fallible(
                        4,
                        (c, a, ret) -> {
                            Descriptor x = c.self(a[0], 0, Descriptor.class);
                            ok(c, ret, 4, c.own(new OutStream(x.fd(), 0, true)));
                        }));
        f.put(
                d + "get-flags",
                fallible(
                        1,
                        (c, a, ret) -> {
                            Descriptor x = c.self(a[0], 0, Descriptor.class);
                            c.u8(ret, 0);
                            c.u8(ret + 1, x.flags());
                        }));
        f.put(
                d + "get-type",
                fallible(
                        1,
                        (c, a, ret) -> {
                            Descriptor x = c.self(a[0], 0, Descriptor.class);
                            GuestMemory m = Sys.stat(c, x.fd(), 0, null);
                            c.u8(ret, 0);
                            c.u8(ret + 1, type(m.readBytes(Sys.OUT + 16, 1)[0]));
                        }));
        f.put(
                d + "stat",
                fallible(
                        8,
                        (c, a, ret) -> {
                            Descriptor x = c.self(a[0], 0, Descriptor.class);
                            stat(c, Sys.stat(c, x.fd(), 0, null), ret);
                        }));
        f.put(
                d + "stat-at",
                fallible(
                        8,
                        (c, a, ret) -> {
                            Descriptor x = c.self(a[0], 0, Descriptor.class);
                            stat(c, Sys.stat(c, x.fd(), (int) a[1] & 1, c.read(a[2], a[3])), ret);
                        }));
        f.put(
                d + "metadata-hash",
                fallible(
                        8,
                        (c, a, ret) -> {
                            Descriptor x = c.self(a[0], 0, Descriptor.class);
                            hash(c, Sys.stat(c, x.fd(), 0, null), ret);
                        }));
        f.put(
                d + "metadata-hash-at",
                fallible(
                        8,
                        (c, a, ret) -> {
                            Descriptor x = c.self(a[0], 0, Descriptor.class);
                            hash(c, Sys.stat(c, x.fd(), (int) a[1] & 1, c.read(a[2], a[3])), ret);
                        }));
        f.put(
                d + "open-at",
                fallible(
                        4,
                        (c, a, ret) -> {
                            Descriptor x = c.self(a[0], 0, Descriptor.class);
                            int flags = (int) a[5];
                            long rights =
                                    RIGHTS_READ
                                            | ((flags & (WRITE | MUTATE_DIRECTORY)) != 0
                                                    ? RIGHTS_WRITE
                                                    : 0);
                            int fd =
                                    Sys.open(
                                            c,
                                            x.fd(),
                                            (int) a[1] & 1,
                                            c.read(a[2], a[3]),
                                            (int) a[4] & 15,
                                            rights,
                                            0);
                            ok(c, ret, 4, c.own(new Descriptor(fd, flags, false)));
                        }));
        f.put(
                d + "read-directory",
                fallible(
                        4,
                        (c, a, ret) -> {
                            Descriptor x = c.self(a[0], 0, Descriptor.class);
                            ok(c, ret, 4, c.own(Sys.list(c, x.fd())));
                        }));
        f.put(
                "wasi:filesystem/types#[method]directory-entry-stream.read-directory-entry",
                fallible(
                        4,
                        (c, a, ret) -> {
                            Listing l = c.self(a[0], 0, Listing.class);
                            c.u8(ret, 0);
                            if (l.next >= l.names.size()) {
                                c.u8(ret + 4, 0);
                                return;
                            }
                            c.u8(ret + 4, 1);
                            c.u8(ret + 8, type(l.types.get(l.next)));
                            c.string(ret + 12, l.names.get(l.next++));
                        }));
        f.put(
                d + "create-directory-at",
                fallible(
                        1,
                        (c, a, ret) -> {
                            Descriptor x = c.self(a[0], 0, Descriptor.class);
                            Sys.pathCall(c, "path_create_directory", x.fd(), c.read(a[1], a[2]));
                            c.u8(ret, 0);
                        }));
        f.put(
                d + "remove-directory-at",
                fallible(
                        1,
                        (c, a, ret) -> {
                            Descriptor x = c.self(a[0], 0, Descriptor.class);
                            Sys.pathCall(c, "path_remove_directory", x.fd(), c.read(a[1], a[2]));
                            c.u8(ret, 0);
                        }));
        f.put(
                d + "unlink-file-at",
                fallible(
                        1,
                        (c, a, ret) -> {
                            Descriptor x = c.self(a[0], 0, Descriptor.class);
                            Sys.pathCall(c, "path_unlink_file", x.fd(), c.read(a[1], a[2]));
                            c.u8(ret, 0);
                        }));
        f.put(
                d + "rename-at",
                fallible(
                        1,
                        (c, a, ret) -> {
                            Descriptor x = c.self(a[0], 0, Descriptor.class);
                            Descriptor to = c.self(a[3], 2, Descriptor.class);
                            Sys.rename(c, x.fd(), c.read(a[1], a[2]), to.fd(), c.read(a[4], a[5]));
                            c.u8(ret, 0);
                        }));
        f.put(
                d + "set-size",
                fallible(
                        1,
                        (c, a, ret) -> {
                            Sys.simple(
                                    c,
                                    "fd_filestat_set_size",
                                    c.self(a[0], 0, Descriptor.class).fd(),
                                    a[1]);
                            c.u8(ret, 0);
                        }));
        f.put(
                d + "sync",
                fallible(
                        1,
                        (c, a, ret) -> {
                            Sys.simple(c, "fd_sync", c.self(a[0], 0, Descriptor.class).fd());
                            c.u8(ret, 0);
                        }));
        f.put(
                d + "sync-data",
                fallible(
                        1,
                        (c, a, ret) -> {
                            Sys.simple(c, "fd_datasync", c.self(a[0], 0, Descriptor.class).fd());
                            c.u8(ret, 0);
                        }));
        f.put(
                d + "read",
                fallible(
                        4,
                        (c, a, ret) -> {
                            Descriptor x = c.self(a[0], 0, Descriptor.class);
                            byte[] b = Sys.read(c, x.fd(), a[1], a[2]);
                            c.u8(ret, 0);
                            c.u32(ret + 4, c.bytes(b));
                            c.u32(ret + 8, b.length);
                            c.u8(ret + 12, b.length == 0 && a[1] > 0 ? 1 : 0);
                        }));
        f.put(
                d + "write",
                fallible(
                        8,
                        (c, a, ret) -> {
                            Descriptor x = c.self(a[0], 0, Descriptor.class);
                            long n = Sys.write(c, x.fd(), c.read(a[1], a[2]), a[3]);
                            c.u8(ret, 0);
                            c.u64(ret + 8, n);
                        }));
        f.put(
                d + "is-same-object",
                (c, a) -> {
                    Descriptor x = c.self(a[0], 0, Descriptor.class);
                    Descriptor y = c.self(a[1], 1, Descriptor.class);
                    return Io.one(x.fd() == y.fd() ? 1 : 0);
                });
        f.put(
                "wasi:filesystem/types#filesystem-error-code",
                (c, a) -> {
                    HostState.IoError e = c.self(a[0], 0, HostState.IoError.class);
                    c.u8(a[1], 1);
                    c.u8(a[1] + 1, code(e.errno()));
                    return null;
                });
    }

    /** Stores ok with a 32-bit payload at {@code offset}. */
    private static void ok(Call c, long ret, int offset, int value) {
        c.u8(ret, 0);
        c.u32(ret + offset, value);
    }

    /** Stores ok(descriptor-stat) from a preview 1 filestat in scratch memory. */
    private static void stat(Call c, GuestMemory m, long ret) {
        int filetype = m.readBytes(Sys.OUT + 16, 1)[0];
        long nlink = Sys.u64(m, Sys.OUT + 24);
        long size = Sys.u64(m, Sys.OUT + 32);
        long[] times = {
            Sys.u64(m, Sys.OUT + 40), Sys.u64(m, Sys.OUT + 48), Sys.u64(m, Sys.OUT + 56)
        };
        c.u8(ret, 0);
        long s = ret + 8;
        c.u8(s, type(filetype));
        c.u64(s + 8, nlink);
        c.u64(s + 16, size);
        for (int i = 0; i < 3; i++) {
            long o = s + 24 + 24L * i;
            c.u8(o, 1);
            c.u64(o + 8, Long.divideUnsigned(times[i], 1_000_000_000L));
            c.u32(o + 16, Long.remainderUnsigned(times[i], 1_000_000_000L));
        }
    }

    private static void hash(Call c, GuestMemory m, long ret) {
        c.u8(ret, 0);
        c.u64(ret + 8, Sys.u64(m, Sys.OUT + 8));
        c.u64(ret + 16, Sys.u64(m, Sys.OUT));
    }
}
