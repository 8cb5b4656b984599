package dev.airlock.core.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a hostile guest as a list of steps, each printing one line: the errno of a WASI call,
 * followed for successful opens by whatever the guest could read through the new descriptor. The
 * expected output of a script is therefore a list of errnos the test can assert exactly, and any
 * byte the guest obtained shows up in its stdout.
 *
 * <p>Paths and other strings are laid out as data from address 1024, read buffers are at 49152;
 * descriptors returned by {@code path_open} are kept in the scratch slot at 48 and can be used by
 * later steps as {@link #LAST_FD}.
 */
final class Script {
    /** Stands for the descriptor returned by the last successful {@code path_open}. */
    static final int LAST_FD = -1000;

    private final StringBuilder imports = new StringBuilder();
    private final StringBuilder data = new StringBuilder();
    private final StringBuilder code = new StringBuilder();
    private final Map<String, Str> strings = new HashMap<>();
    private int next = 1024;

    /** A string placed in memory: its address and length in bytes. */
    record Str(int ptr, int len) {}

    Str str(String s) {
        Str known = strings.get(s);
        if (known != null) {
            return known;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        Str r = new Str(next, b.length);
        data.append("(data (i32.const ").append(next).append(") ").append(Hostile.bytes(s));
        data.append(")\n");
        next += b.length + 1;
        strings.put(s, r);
        if (next > 40000) {
            throw new IllegalStateException("script data too large");
        }
        return r;
    }

    private static String fd(int fd) {
        return fd == LAST_FD ? "(i32.load (i32.const 48))" : "(i32.const " + fd + ")";
    }

    /**
     * {@code path_open(fd, lookup, path, oflags, base, inheriting, fdflags)}; prints the errno and,
     * on success, the content read from the new descriptor (up to 4 KiB, on its own line).
     */
    Script open(
            int fd, int lookup, String path, int oflags, long base, long inheriting, int fdflags) {
        Str p = str(path);
        code.append(
                String.format(
                        "(call $open_and_dump %s (i32.const %d) (i32.const %d) (i32.const %d)"
                                + " (i32.const %d) (i64.const %d) (i64.const %d) (i32.const %d))\n",
                        fd(fd), lookup, p.ptr, p.len, oflags, base, inheriting, fdflags));
        return this;
    }

    /**
     * Opens for reading, following links, with the rights wasi-libc's {@code open(O_RDONLY)} asks
     * for (read rights, every right inheritable), and dumps what it read.
     */
    Script read(int fd, String path) {
        return open(
                fd,
                Hostile.LOOKUP_SYMLINK_FOLLOW,
                path,
                0,
                Hostile.RIGHTS_READ_LIBC,
                Hostile.RIGHTS_ALL,
                0);
    }

    /**
     * Opens a directory (all rights but {@code fd_write}, as wasi-libc asks) and keeps its
     * descriptor as {@link #LAST_FD}.
     */
    Script openDir(int fd, String path) {
        Str p = str(path);
        code.append(
                String.format(
                        "(call $say (call $path_open %s (i32.const 0) (i32.const %d) (i32.const"
                                + " %d) (i32.const 2) (i64.const -65) (i64.const -1) (i32.const 0)"
                                + " (i32.const 48)))\n",
                        fd(fd), p.ptr, p.len));
        return this;
    }

    /** Creates or truncates a file and writes {@code content} to it; prints both errnos. */
    Script write(int fd, String path, String content) {
        Str p = str(path);
        Str c = str(content);
        code.append(
                String.format(
                        "(call $create_and_write %s (i32.const %d) (i32.const %d) (i32.const %d)"
                                + " (i32.const %d))\n",
                        fd(fd), p.ptr, p.len, c.ptr, c.len));
        return this;
    }

    /**
     * Creates or truncates a file and writes the first {@code bytes} bytes of memory to it in one
     * {@code fd_write}; prints the errnos of the open, the write and the close.
     */
    Script fill(int fd, String path, int bytes) {
        Str p = str(path);
        code.append(
                String.format(
                        "(call $create_and_write %s (i32.const %d) (i32.const %d) (i32.const 0)"
                                + " (i32.const %d))\n",
                        fd(fd), p.ptr, p.len, bytes));
        return this;
    }

    Script symlink(String target, int fd, String link) {
        Str t = str(target);
        Str l = str(link);
        return call(
                String.format(
                        "(call $path_symlink (i32.const %d) (i32.const %d) %s (i32.const %d)"
                                + " (i32.const %d))",
                        t.ptr, t.len, fd(fd), l.ptr, l.len));
    }

    Script mkdir(int fd, String path) {
        Str p = str(path);
        return call(
                String.format(
                        "(call $path_create_directory %s (i32.const %d) (i32.const %d))",
                        fd(fd), p.ptr, p.len));
    }

    Script rmdir(int fd, String path) {
        Str p = str(path);
        return call(
                String.format(
                        "(call $path_remove_directory %s (i32.const %d) (i32.const %d))",
                        fd(fd), p.ptr, p.len));
    }

    Script unlink(int fd, String path) {
        Str p = str(path);
        return call(
                String.format(
                        "(call $path_unlink_file %s (i32.const %d) (i32.const %d))",
                        fd(fd), p.ptr, p.len));
    }

    Script rename(int fd, String from, int newFd, String to) {
        Str f = str(from);
        Str t = str(to);
        return call(
                String.format(
                        "(call $path_rename %s (i32.const %d) (i32.const %d) %s (i32.const %d)"
                                + " (i32.const %d))",
                        fd(fd), f.ptr, f.len, fd(newFd), t.ptr, t.len));
    }

    Script link(int fd, String from, int newFd, String to) {
        Str f = str(from);
        Str t = str(to);
        return call(
                String.format(
                        "(call $path_link %s (i32.const 0) (i32.const %d) (i32.const %d) %s"
                                + " (i32.const %d) (i32.const %d))",
                        fd(fd), f.ptr, f.len, fd(newFd), t.ptr, t.len));
    }

    /** path_readlink; prints the errno and, on success, the link's target. */
    Script readlink(int fd, String path) {
        Str p = str(path);
        code.append(
                String.format(
                        "(call $readlink_and_dump %s (i32.const %d) (i32.const %d))\n",
                        fd(fd), p.ptr, p.len));
        return this;
    }

    /** Any expression returning an errno (i32); prints it. */
    Script call(String errnoExpr) {
        code.append("(call $say ").append(errnoExpr).append(")\n");
        return this;
    }

    /** Module fields (functions, data, tables...) added beside {@code _start}. */
    Script define(String wat) {
        data.append(wat).append('\n');
        return this;
    }

    /** An import beside the shared ones ({@link Hostile#IMPORTS}). */
    Script importing(String wat) {
        imports.append(wat).append('\n');
        return this;
    }

    /** Raw WAT instructions. */
    Script raw(String wat) {
        code.append(wat).append('\n');
        return this;
    }

    /** The assembled module. */
    byte[] build() {
        return Hostile.guest(
                imports.toString(), data + FUNCTIONS + "(func (export \"_start\")\n" + code + ")");
    }

    private static final String FUNCTIONS =
            """
            ;; reads what fd $fd holds (up to 4 KiB, at 49152) and prints it on its own line
            (func $dump (param $fd i32) (local $n i32)
              (i32.store (i32.const 32) (i32.const 49152))
              (i32.store (i32.const 36) (i32.const 4096))
              (local.set $n (call $fd_read (local.get $fd) (i32.const 32) (i32.const 1) (i32.const 40)))
              (if (i32.eqz (local.get $n))
                (then (call $print (i32.const 49152) (i32.load (i32.const 40))))
                (else (call $say (local.get $n))))
              (call $nl))
            (func $open_and_dump (param $dir i32) (param $lookup i32) (param $p i32) (param $len i32)
                                 (param $oflags i32) (param $base i64) (param $inheriting i64)
                                 (param $fdflags i32)
              (local $e i32)
              (local.set $e (call $path_open (local.get $dir) (local.get $lookup)
                                             (local.get $p) (local.get $len) (local.get $oflags)
                                             (local.get $base) (local.get $inheriting)
                                             (local.get $fdflags) (i32.const 48)))
              (call $say (local.get $e))
              (if (i32.eqz (local.get $e))
                (then (call $dump (i32.load (i32.const 48))))))
            (func $create_and_write (param $dir i32) (param $p i32) (param $len i32)
                                    (param $c i32) (param $clen i32)
              (local $e i32)
              (local.set $e (call $path_open (local.get $dir) (i32.const 1)
                                             (local.get $p) (local.get $len) (i32.const 9)
                                             (i64.const -1) (i64.const -1)
                                             (i32.const 0) (i32.const 48)))
              (call $say (local.get $e))
              (if (i32.eqz (local.get $e))
                (then
                  (i32.store (i32.const 32) (local.get $c))
                  (i32.store (i32.const 36) (local.get $clen))
                  (call $say (call $fd_write (i32.load (i32.const 48)) (i32.const 32)
                                             (i32.const 1) (i32.const 40)))
                  (call $say (call $fd_close (i32.load (i32.const 48)))))))
            (func $readlink_and_dump (param $dir i32) (param $p i32) (param $len i32)
              (local $e i32)
              (local.set $e (call $path_readlink (local.get $dir) (local.get $p) (local.get $len)
                                                 (i32.const 49152) (i32.const 4096) (i32.const 40)))
              (call $say (local.get $e))
              (if (i32.eqz (local.get $e))
                (then
                  (call $print (i32.const 49152) (i32.load (i32.const 40)))
                  (call $nl))))
            """;

    /** Expected output lines helper: each errno on its own line. */
    static String lines(Object... items) {
        List<String> l = new ArrayList<>();
        for (Object o : items) {
            l.add(String.valueOf(o));
        }
        return String.join("\n", l) + "\n";
    }
}
