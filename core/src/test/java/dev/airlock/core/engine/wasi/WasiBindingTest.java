package dev.airlock.core.engine.wasi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Denial;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.testing.Guests;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The places where {@link WasiBinding} corrects or completes Chicory's WASI preview 1. Each guest
 * checks its calls itself and exits with {@code step * 100 + errno} at the first unexpected result.
 */
class WasiBindingTest {
    private static final String IMPORTS =
            """
              (import "wasi_snapshot_preview1" "path_open"
                (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_write"
                (func $write (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_read"
                (func $read (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_pwrite"
                (func $pwrite (param i32 i32 i32 i64 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_seek"
                (func $seek (param i32 i64 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_fdstat_get"
                (func $fdstat (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_fdstat_set_flags"
                (func $setflags (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "path_symlink"
                (func $symlink (param i32 i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "path_create_directory"
                (func $mkdir (param i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "path_filestat_get"
                (func $stat (param i32 i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "path_filestat_set_times"
                (func $settimes (param i32 i32 i32 i32 i64 i64 i32) (result i32)))
              (import "wasi_snapshot_preview1" "sock_shutdown"
                (func $shutdown (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "sock_recv"
                (func $recv (param i32 i32 i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (memory (export "memory") 1)
              ;; exits with step * 100 + errno unless errno is 0
              (func $ok (param $step i32) (param $errno i32)
                (if (local.get $errno)
                  (then (call $exit (i32.add (i32.mul (local.get $step) (i32.const 100))
                                             (local.get $errno))))))
              ;; exits with step * 100 + errno unless errno is the expected one
              (func $is (param $step i32) (param $want i32) (param $errno i32)
                (if (i32.ne (local.get $errno) (local.get $want))
                  (then (call $exit (i32.add (i32.mul (local.get $step) (i32.const 100))
                                             (local.get $errno))))))
              ;; one iovec at 200
              (func $iov (param $ptr i32) (param $len i32) (result i32)
                (i32.store (i32.const 200) (local.get $ptr))
                (i32.store (i32.const 204) (local.get $len))
                (i32.const 200))
            """;

    @TempDir Path dir;

    private Guests.Run run(String body, Mount mount) {
        String wat = "(module\n" + IMPORTS + body + ")\n";
        return Guests.run(Guests.wat(wat), Policy.builder().mount(mount).build());
    }

    private static void assertExit(Guests.Run r, int code) {
        assertThat(r.outcome().status())
                .as(r.outcome().message() + " " + r.stderr())
                .isIn(Status.OK, Status.EXIT);
        assertThat(r.outcome().exitCode()).as(r.outcome().message()).isEqualTo(code);
    }

    @Test
    void readOnlyMountRefusesOpeningForWriteAndAllowsReadingWithAnyInheritedRights()
            throws Exception {
        Files.writeString(dir.resolve("ab"), "data");
        // open "ab" for writing only (rights FD_WRITE, no O_CREAT/O_TRUNC, no inherited rights),
        // then for reading with every inherited right
        Guests.Run r =
                run(
                        """
                          (data (i32.const 16) "ab")
                          (func (export "_start")
                            (call $is (i32.const 1) (i32.const 69)
                              (call $open (i32.const 3) (i32.const 0) (i32.const 16) (i32.const 2)
                                (i32.const 0) (i64.const 64) (i64.const 0) (i32.const 0)
                                (i32.const 32)))
                            (call $is (i32.const 2) (i32.const 69)
                              (call $open (i32.const 3) (i32.const 0) (i32.const 16) (i32.const 2)
                                (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 1)
                                (i32.const 32)))
                            (call $ok (i32.const 3)
                              (call $open (i32.const 3) (i32.const 0) (i32.const 16) (i32.const 2)
                                (i32.const 0) (i64.const 2) (i64.const -1) (i32.const 0)
                                (i32.const 32))))
                        """,
                        new Mount(dir, "/", Mount.Mode.READ_ONLY));
        assertExit(r, 0);
        assertThat(r.outcome().denials()).extracting(Denial::rule).containsOnly("fs.read-only");
        assertThat(r.outcome().denials()).hasSize(2);
        assertThat(Files.readString(dir.resolve("ab"))).isEqualTo("data");
    }

    @Test
    void socketCallsFailAsOnAHostWithoutSockets() {
        Guests.Run r =
                run(
                        """
                          (func (export "_start")
                            ;; fd 9 is not open: EBADF
                            (call $is (i32.const 1) (i32.const 8)
                              (call $shutdown (i32.const 9) (i32.const 0)))
                            ;; stdout is open but no socket: ENOTSOCK
                            (call $is (i32.const 2) (i32.const 57)
                              (call $shutdown (i32.const 1) (i32.const 0)))
                            (call $is (i32.const 3) (i32.const 57)
                              (call $recv (i32.const 1) (i32.const 200) (i32.const 0)
                                (i32.const 0) (i32.const 300) (i32.const 304)))
                            (call $is (i32.const 4) (i32.const 8)
                              (call $recv (i32.const 9) (i32.const 200) (i32.const 0)
                                (i32.const 0) (i32.const 300) (i32.const 304))))
                        """,
                        new Mount(dir, "/", Mount.Mode.READ_ONLY));
        assertExit(r, 0);
        assertThat(r.outcome().denials()).extracting(Denial::rule).containsOnly("net.sockets");
        assertThat(r.outcome().denials()).hasSize(4);
    }

    @Test
    void appendModeIsEmulatedWithTruncationReadingPositionalWritesAndSwitchingOff()
            throws Exception {
        Files.writeString(dir.resolve("f"), "old content");
        Guests.Run r =
                run(
                        """
                          (data (i32.const 0) "12345678")
                          (data (i32.const 16) "f")
                          (data (i32.const 48) "abcdeXY")
                          (func (export "_start") (local $fd i32)
                            ;; O_TRUNC with APPEND; rights READ|SEEK|SET_FLAGS|TELL|WRITE
                            (call $ok (i32.const 1)
                              (call $open (i32.const 3) (i32.const 0) (i32.const 16) (i32.const 1)
                                (i32.const 8) (i64.const 110) (i64.const 0) (i32.const 1)
                                (i32.const 32)))
                            (local.set $fd (i32.load (i32.const 32)))
                            (call $ok (i32.const 2) (call $write (local.get $fd)
                              (call $iov (i32.const 48) (i32.const 3)) (i32.const 1) (i32.const 40)))
                            (call $ok (i32.const 3) (call $seek (local.get $fd) (i64.const 0)
                              (i32.const 0) (i32.const 40)))
                            ;; appends although the offset is 0
                            (call $ok (i32.const 4) (call $write (local.get $fd)
                              (call $iov (i32.const 51) (i32.const 2)) (i32.const 1) (i32.const 40)))
                            (call $ok (i32.const 5) (call $seek (local.get $fd) (i64.const 0)
                              (i32.const 1) (i32.const 40)))
                            (call $is (i32.const 6) (i32.const 5)
                              (i32.wrap_i64 (i64.load (i32.const 40))))
                            ;; the flag is reported
                            (call $ok (i32.const 7) (call $fdstat (local.get $fd) (i32.const 64)))
                            (call $is (i32.const 8) (i32.const 1)
                              (i32.and (i32.load16_u (i32.const 66)) (i32.const 1)))
                            ;; the file can be read
                            (call $ok (i32.const 9) (call $seek (local.get $fd) (i64.const 0)
                              (i32.const 0) (i32.const 40)))
                            (call $ok (i32.const 10) (call $read (local.get $fd)
                              (call $iov (i32.const 128) (i32.const 16)) (i32.const 1) (i32.const 40)))
                            (call $is (i32.const 11) (i32.const 5) (i32.load (i32.const 40)))
                            ;; a positional write writes at its offset
                            (call $ok (i32.const 12) (call $pwrite (local.get $fd)
                              (call $iov (i32.const 53) (i32.const 1)) (i32.const 1) (i64.const 0)
                              (i32.const 40)))
                            ;; append mode switched off: a write at offset 1 overwrites
                            (call $ok (i32.const 13) (call $setflags (local.get $fd) (i32.const 0)))
                            (call $ok (i32.const 14) (call $fdstat (local.get $fd) (i32.const 64)))
                            (call $is (i32.const 15) (i32.const 0) (i32.load16_u (i32.const 66)))
                            (call $ok (i32.const 16) (call $seek (local.get $fd) (i64.const 1)
                              (i32.const 0) (i32.const 40)))
                            (call $ok (i32.const 17) (call $write (local.get $fd)
                              (call $iov (i32.const 54) (i32.const 1)) (i32.const 1) (i32.const 40)))
                            (call $ok (i32.const 18) (call $close (local.get $fd)))
                            ;; the memory lent for seeking to the end is unchanged
                            (call $ok (i32.const 19) (call $write (i32.const 1)
                              (call $iov (i32.const 0) (i32.const 8)) (i32.const 1) (i32.const 40))))
                        """,
                        new Mount(dir, "/", Mount.Mode.READ_WRITE));
        assertExit(r, 0);
        assertThat(r.stdout()).isEqualTo("12345678");
        assertThat(Files.readString(dir.resolve("f"))).isEqualTo("XYcde");
    }

    @Test
    void setTimesWithoutFollowingChangesTheLinkNotItsTarget() throws Exception {
        Files.writeString(dir.resolve("f"), "x");
        Guests.Run r =
                run(
                        """
                          (data (i32.const 16) "f")
                          (data (i32.const 24) "l")
                          (func (export "_start")
                            (call $ok (i32.const 1) (call $symlink (i32.const 16) (i32.const 1)
                              (i32.const 3) (i32.const 24) (i32.const 1)))
                            ;; set mtim of the link itself to 1 s
                            (call $ok (i32.const 2) (call $settimes (i32.const 3) (i32.const 0)
                              (i32.const 24) (i32.const 1) (i64.const 0)
                              (i64.const 1000000000) (i32.const 4)))
                            (call $ok (i32.const 3) (call $stat (i32.const 3) (i32.const 0)
                              (i32.const 24) (i32.const 1) (i32.const 64)))
                            (call $is (i32.const 4) (i32.const 1)
                              (i64.eq (i64.load (i32.const 112)) (i64.const 1000000000)))
                            (call $ok (i32.const 5) (call $stat (i32.const 3) (i32.const 0)
                              (i32.const 16) (i32.const 1) (i32.const 64)))
                            (call $is (i32.const 6) (i32.const 0)
                              (i64.eq (i64.load (i32.const 112)) (i64.const 1000000000)))
                            ;; following the link sets the target's
                            (call $ok (i32.const 7) (call $settimes (i32.const 3) (i32.const 1)
                              (i32.const 24) (i32.const 1) (i64.const 0)
                              (i64.const 2000000000) (i32.const 4)))
                            (call $ok (i32.const 8) (call $stat (i32.const 3) (i32.const 0)
                              (i32.const 16) (i32.const 1) (i32.const 64)))
                            (call $is (i32.const 9) (i32.const 1)
                              (i64.eq (i64.load (i32.const 112)) (i64.const 2000000000))))
                        """,
                        new Mount(dir, "/", Mount.Mode.READ_WRITE));
        assertExit(r, 0);
    }

    @Test
    void symlinkPathWithTrailingSlashIsMissingOrExisting() {
        Guests.Run r =
                run(
                        """
                          (data (i32.const 16) "t")
                          (data (i32.const 24) "none/")
                          (data (i32.const 32) "dir/")
                          (func (export "_start")
                            (call $is (i32.const 1) (i32.const 44) (call $symlink (i32.const 16)
                              (i32.const 1) (i32.const 3) (i32.const 24) (i32.const 5)))
                            (call $ok (i32.const 2) (call $mkdir (i32.const 3) (i32.const 32)
                              (i32.const 3)))
                            (call $is (i32.const 3) (i32.const 20) (call $symlink (i32.const 16)
                              (i32.const 1) (i32.const 3) (i32.const 32) (i32.const 4))))
                        """,
                        new Mount(dir, "/", Mount.Mode.READ_WRITE));
        assertExit(r, 0);
    }
}
