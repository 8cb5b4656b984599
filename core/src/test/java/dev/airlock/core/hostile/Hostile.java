package dev.airlock.core.hostile;

import dev.airlock.core.Airlock;
import dev.airlock.core.GuestInstance;
import dev.airlock.core.GuestModule;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Mount;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.event.LifecycleEvent;
import dev.airlock.core.testing.Guests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Shared pieces of the hostile guests: every WASI import they use, a few WAT helper functions, and
 * a runner that captures output and events.
 *
 * <p>Memory layout of guests built with {@link #guest}: bytes 0..15 are the iovec and result slot
 * of {@code $print}, 32..63 are scratch results, 64..127 the digits of {@code $say}; guests keep
 * their own data at 256 and above and their buffers at 4096 and above.
 */
final class Hostile {
    private Hostile() {}

    // WASI errno values
    static final int ESUCCESS = 0;
    static final int EACCES = 2;
    static final int EBADF = 8;
    static final int EEXIST = 20;
    static final int EINVAL = 28;
    static final int EISDIR = 31;
    static final int ELOOP = 32;
    static final int ENOENT = 44;
    static final int ENOTDIR = 54;
    static final int ENOTSUP = 58;
    static final int EPERM = 63;
    static final int EROFS = 69;

    /**
     * The denials a guest's refused changes to a read-only mount or shared folder leave, one per
     * WASI call named (without its module), in order.
     */
    static List<dev.airlock.core.Denial> readOnlyDenials(List<String> calls) {
        return calls.stream()
                .map(
                        c ->
                                new dev.airlock.core.Denial(
                                        "wasi_snapshot_preview1." + c,
                                        "fs.read-only",
                                        "the mount is read-only"))
                .collect(Collectors.toList());
    }

    static final int ENOTCAPABLE = 76;

    // path_open flags and rights
    static final int LOOKUP_SYMLINK_FOLLOW = 1;
    static final int O_CREAT = 1;
    static final int O_DIRECTORY = 2;
    static final int O_EXCL = 4;
    static final int O_TRUNC = 8;
    static final long RIGHT_FD_READ = 1L << 1;
    static final long RIGHT_FD_WRITE = 1L << 6;
    static final int FDFLAG_APPEND = 1;

    /** Rights wasi-libc asks for when it opens a file read-only: read, seek, tell, stat. */
    static final long RIGHTS_READ_LIBC = 2 | 4 | 32 | (1L << 14) | (1L << 21);

    /** Every right. */
    static final long RIGHTS_ALL = (1L << 29) - 1;

    static final String WASI = "wasi_snapshot_preview1";

    /** Every WASI function the hostile guests call, with its preview 1 signature. */
    static final String IMPORTS =
            """
            (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_pwrite" (func $fd_pwrite (param i32 i32 i32 i64 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_renumber" (func $fd_renumber (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_allocate" (func $fd_allocate (param i32 i64 i64) (result i32)))
            (import "wasi_snapshot_preview1" "fd_filestat_set_size" (func $fd_filestat_set_size (param i32 i64) (result i32)))
            (import "wasi_snapshot_preview1" "fd_filestat_set_times" (func $fd_filestat_set_times (param i32 i64 i64 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_readdir" (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
            (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "path_create_directory" (func $path_create_directory (param i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "path_remove_directory" (func $path_remove_directory (param i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "path_unlink_file" (func $path_unlink_file (param i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "path_rename" (func $path_rename (param i32 i32 i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "path_symlink" (func $path_symlink (param i32 i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "path_link" (func $path_link (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "path_readlink" (func $path_readlink (param i32 i32 i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "path_filestat_set_times" (func $path_filestat_set_times (param i32 i32 i32 i32 i64 i64 i32) (result i32)))
            (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
            (import "wasi_snapshot_preview1" "clock_res_get" (func $clock_res_get (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
            (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
            (import "wasi_snapshot_preview1" "proc_raise" (func $proc_raise (param i32) (result i32)))
            (import "wasi_snapshot_preview1" "sock_accept" (func $sock_accept (param i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "sock_recv" (func $sock_recv (param i32 i32 i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "sock_send" (func $sock_send (param i32 i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "sock_shutdown" (func $sock_shutdown (param i32 i32) (result i32)))
            """;

    /**
     * {@code $print(ptr, len)} writes bytes to stdout; {@code $say64(n)} and {@code $say(n)} write
     * a signed decimal number and a newline; {@code $nl} writes a newline.
     */
    static final String HELPERS =
            """
            (func $print (param $ptr i32) (param $len i32)
              (i32.store (i32.const 0) (local.get $ptr))
              (i32.store (i32.const 4) (local.get $len))
              (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
            (func $say64 (param $n i64) (local $p i32) (local $neg i32)
              (local.set $p (i32.const 127))
              (i32.store8 (i32.const 127) (i32.const 10))
              (if (i64.lt_s (local.get $n) (i64.const 0))
                (then (local.set $neg (i32.const 1))))
              (loop $digits
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (i32.store8 (local.get $p)
                  (i32.add (i32.const 48)
                    (i32.wrap_i64 (select
                      (i64.sub (i64.const 0) (i64.rem_s (local.get $n) (i64.const 10)))
                      (i64.rem_s (local.get $n) (i64.const 10))
                      (local.get $neg)))))
                (local.set $n (i64.div_s (local.get $n) (i64.const 10)))
                (br_if $digits (i64.ne (local.get $n) (i64.const 0))))
              (if (local.get $neg)
                (then
                  (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                  (i32.store8 (local.get $p) (i32.const 45))))
              (call $print (local.get $p) (i32.sub (i32.const 128) (local.get $p))))
            (func $say (param $n i32)
              (call $say64 (i64.extend_i32_s (local.get $n))))
            (func $nl
              (i32.store8 (i32.const 127) (i32.const 10))
              (call $print (i32.const 127) (i32.const 1)))
            """;

    /** A WASI command with the shared imports, one page of memory, the helpers and {@code body}. */
    static byte[] guest(String body) {
        return guest("", body);
    }

    /** {@link #guest(String)} with more imports after the shared ones. */
    static byte[] guest(String moreImports, String body) {
        return Guests.wat(
                "(module\n"
                        + IMPORTS
                        + moreImports
                        + "(memory (export \"memory\") 1)\n"
                        + HELPERS
                        + body
                        + "\n)");
    }

    /**
     * {@code ro} mounted read-only at {@code /data}, {@code rw} read-write at {@code /workspace}.
     */
    static Policy dataAndWorkspace(Path ro, Path rw) {
        return Policy.builder()
                .mount(new Mount(ro, "/data", Mount.Mode.READ_ONLY))
                .mount(new Mount(rw, "/workspace", Mount.Mode.READ_WRITE))
                .build();
    }

    /** WAT string literal of {@code s}, every byte escaped. */
    static String bytes(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            b.append(String.format("\\%02x", x));
        }
        return b.append('"').toString();
    }

    /** A captured run: outcome, output and every event. */
    record Result(Outcome outcome, String stdout, String stderr, List<Event> events) {
        List<HostCallEvent> hostCalls() {
            return events.stream()
                    .filter(e -> e instanceof HostCallEvent)
                    .map(e -> (HostCallEvent) e)
                    .collect(Collectors.toList());
        }

        List<LifecycleEvent.Type> lifecycle() {
            return events.stream()
                    .filter(e -> e instanceof LifecycleEvent)
                    .map(e -> ((LifecycleEvent) e).type())
                    .collect(Collectors.toList());
        }
    }

    static Result run(byte[] wasm, Policy policy) {
        return run(Guests.AIRLOCK, wasm, policy);
    }

    static Result run(Airlock airlock, byte[] wasm, Policy policy) {
        List<Event> events = new CopyOnWriteArrayList<>();
        GuestModule m;
        try {
            m = airlock.load(wasm);
        } catch (ModuleRejectedException e) {
            return new Result(e.toOutcome(), "", "", events);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Outcome o = airlock.run(m, policy, Stdio.of(out, err), events::add);
        return new Result(
                o,
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8),
                events);
    }

    /**
     * Runs a WASI command as the interpreters do: one filesystem seen at {@code /} holding every
     * mount (descriptor 3 is that root), {@code _start} called on a long-lived instance, and the
     * read-write mounts copied back if the call ended by itself.
     */
    static Result runSingleRoot(byte[] wasm, Policy policy) {
        List<Event> events = new CopyOnWriteArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (GuestInstance g =
                Guests.AIRLOCK.instantiate(
                        Guests.AIRLOCK.load(wasm),
                        policy,
                        InstanceSetup.builder().singleRoot(true).events(events::add).build())) {
            Outcome o = g.call("_start", Stdio.of(out, err)).outcome();
            if (o.status() == Status.OK || o.status() == Status.EXIT) {
                g.copyBack();
            }
            return new Result(
                    o,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8),
                    events);
        } catch (ModuleRejectedException e) {
            throw new AssertionError(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every entry under {@code dir} (links as "-> target"), without following links. */
    static Map<String, String> snapshot(Path dir) {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (Files.isSymbolicLink(p)) {
                    m.put(rel, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    m.put(rel + "/", "");
                } else {
                    // Latin-1 maps every byte to one char: binary files compare exactly too
                    m.put(rel, new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }
}
