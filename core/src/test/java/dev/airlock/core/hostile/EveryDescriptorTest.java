package dev.airlock.core.hostile;

import static dev.airlock.core.hostile.Hostile.EBADF;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.testing.Guests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest calls every descriptor function of WASI preview 1 on every kind of descriptor: stdin,
 * stdout, stderr, a preopened directory, an opened directory, an opened file, a closed descriptor,
 * one never opened and a negative one. Every call answers an errno; none ends the run with a host
 * exception, and no Java class name reaches the outcome or the events.
 */
class EveryDescriptorTest {
    static final int EFAULT = 21;

    /** The probes run on each descriptor, in order; each prints one number. */
    private static final List<String> PROBES =
            List.of(
                    "fd_fdstat_get",
                    "fd_filestat_get",
                    "filetype",
                    "fd_prestat_get",
                    "fd_prestat_dir_name",
                    "fd_seek",
                    "fd_tell",
                    "fd_advise",
                    "fd_read",
                    "fd_pread",
                    "fd_write",
                    "fd_pwrite",
                    "fd_readdir",
                    "fd_sync",
                    "fd_datasync",
                    "fd_fdstat_set_flags",
                    "fd_fdstat_set_rights",
                    "fd_filestat_set_times",
                    "fd_allocate",
                    "fd_filestat_set_size",
                    "path_filestat_get",
                    "path_readlink",
                    "poll_oneoff",
                    "poll_event");

    private static final String EXTRA_IMPORTS =
            """
            (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_tell" (func $fd_tell (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_advise" (func $fd_advise (param i32 i64 i64 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_pread" (func $fd_pread (param i32 i32 i32 i64 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_sync" (func $fd_sync (param i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_datasync" (func $fd_datasync (param i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func $fd_fdstat_set_flags (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_fdstat_set_rights" (func $fd_fdstat_set_rights (param i32 i64 i64) (result i32)))
            (import "wasi_snapshot_preview1" "path_filestat_get" (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
            """;

    private static final String PROBE =
            """
            (data (i32.const 1024) "f.txt")
            (data (i32.const 1040) "d")
            (func $probe (param $fd i32)
              ;; iovecs: 8448 reads 4 bytes into 8512, 8464 writes nothing
              (i32.store (i32.const 8448) (i32.const 8512))
              (i32.store (i32.const 8452) (i32.const 4))
              (i32.store (i32.const 8464) (i32.const 8512))
              (i32.store (i32.const 8468) (i32.const 0))
              (i64.store (i32.const 8272) (i64.const 0))
              (call $say (call $fd_fdstat_get (local.get $fd) (i32.const 8192)))
              (call $say (call $fd_filestat_get (local.get $fd) (i32.const 8256)))
              (call $say (i32.load8_u (i32.const 8272)))
              (call $say (call $fd_prestat_get (local.get $fd) (i32.const 8320)))
              (call $say (call $fd_prestat_dir_name (local.get $fd) (i32.const 8336) (i32.const 64)))
              (call $say (call $fd_seek (local.get $fd) (i64.const 0) (i32.const 1) (i32.const 8400)))
              (call $say (call $fd_tell (local.get $fd) (i32.const 8400)))
              (call $say (call $fd_advise (local.get $fd) (i64.const 0) (i64.const 0) (i32.const 0)))
              (call $say (call $fd_read (local.get $fd) (i32.const 8448) (i32.const 1) (i32.const 8408)))
              (call $say (call $fd_pread (local.get $fd) (i32.const 8448) (i32.const 1) (i64.const 0) (i32.const 8408)))
              (call $say (call $fd_write (local.get $fd) (i32.const 8464) (i32.const 1) (i32.const 8408)))
              (call $say (call $fd_pwrite (local.get $fd) (i32.const 8464) (i32.const 1) (i64.const 0) (i32.const 8408)))
              (call $say (call $fd_readdir (local.get $fd) (i32.const 9000) (i32.const 256) (i64.const 0) (i32.const 8408)))
              (call $say (call $fd_sync (local.get $fd)))
              (call $say (call $fd_datasync (local.get $fd)))
              (call $say (call $fd_fdstat_set_flags (local.get $fd) (i32.const 0)))
              (call $say (call $fd_fdstat_set_rights (local.get $fd) (i64.const 0) (i64.const 0)))
              (call $say (call $fd_filestat_set_times (local.get $fd) (i64.const 0) (i64.const 0) (i32.const 0)))
              (call $say (call $fd_allocate (local.get $fd) (i64.const 0) (i64.const 1)))
              (call $say (call $fd_filestat_set_size (local.get $fd) (i64.const 1)))
              (call $say (call $path_filestat_get (local.get $fd) (i32.const 0) (i32.const 1024) (i32.const 5) (i32.const 8256)))
              (call $say (call $path_readlink (local.get $fd) (i32.const 1024) (i32.const 5) (i32.const 9000) (i32.const 64) (i32.const 8408)))
              ;; one FD_WRITE subscription on the descriptor: never blocks
              (i64.store (i32.const 9400) (i64.const 7))
              (i32.store8 (i32.const 9408) (i32.const 2))
              (i32.store (i32.const 9416) (local.get $fd))
              (i32.store16 (i32.const 9508) (i32.const 0))
              (call $say (call $poll_oneoff (i32.const 9400) (i32.const 9500) (i32.const 1) (i32.const 8408)))
              (call $say (i32.load16_u (i32.const 9508))))
            (func (export "_start")
              ;; 52: a file open for reading and writing; 56: a directory; 60: a closed descriptor
              (call $say (call $path_open (i32.const 3) (i32.const 0) (i32.const 1024) (i32.const 5)
                (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 52)))
              (call $say (call $path_open (i32.const 3) (i32.const 0) (i32.const 1040) (i32.const 1)
                (i32.const 2) (i64.const -65) (i64.const -1) (i32.const 0) (i32.const 56)))
              (call $say (call $path_open (i32.const 3) (i32.const 0) (i32.const 1024) (i32.const 5)
                (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 60)))
              (call $say (call $fd_close (i32.load (i32.const 60))))
              (call $probe (i32.const 0))
              (call $probe (i32.const 1))
              (call $probe (i32.const 2))
              (call $probe (i32.const 3))
              (call $probe (i32.load (i32.const 56)))
              (call $probe (i32.load (i32.const 52)))
              (call $probe (i32.load (i32.const 60)))
              (call $probe (i32.const 4000))
              (call $probe (i32.const -1)))
            """;

    private static byte[] guest(String body) {
        return Guests.wat(
                "(module\n"
                        + Hostile.IMPORTS
                        + EXTRA_IMPORTS
                        + "(memory (export \"memory\") 1)\n"
                        + Hostile.HELPERS
                        + body
                        + "\n)");
    }

    @TempDir Path dir;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(dir.resolve("f.txt"), "file");
        Files.createDirectory(dir.resolve("d"));
    }

    private Hostile.Result run(byte[] wasm) {
        return Hostile.run(
                wasm,
                Policy.builder().mount(new Mount(dir, "/work", Mount.Mode.READ_WRITE)).build());
    }

    private static void assertNoClassNames(Hostile.Result r) {
        assertThat(r.outcome().message()).doesNotContain("com.").doesNotContain("java.");
        for (HostCallEvent e : r.hostCalls()) {
            assertThat(String.valueOf(e.args())).doesNotContain("com.").doesNotContain("java.");
        }
    }

    /** The probe results for the descriptor at {@code index} of the guest's list. */
    private static List<Integer> block(List<Integer> all, int index) {
        int from = 4 + index * PROBES.size();
        return all.subList(from, from + PROBES.size());
    }

    private static int probe(List<Integer> block, String name) {
        return block.get(PROBES.indexOf(name));
    }

    @Test
    void everyCallOnEveryDescriptorAnswersAnErrno() {
        Hostile.Result r = run(guest(PROBE));
        assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
        assertNoClassNames(r);
        List<Integer> all = Arrays.stream(r.stdout().split("\n")).map(Integer::valueOf).toList();
        assertThat(all).hasSize(4 + 9 * PROBES.size());
        assertThat(all.subList(0, 4)).containsExactly(0, 0, 0, 0);
        // the preopened directory: fd_filestat_get describes a directory
        List<Integer> preopen = block(all, 3);
        assertThat(probe(preopen, "fd_filestat_get")).isZero();
        assertThat(probe(preopen, "filetype")).isEqualTo(3);
        assertThat(probe(preopen, "fd_prestat_get")).isZero();
        // an opened directory and an opened file too
        assertThat(probe(block(all, 4), "fd_filestat_get")).isZero();
        assertThat(probe(block(all, 4), "filetype")).isEqualTo(3);
        assertThat(probe(block(all, 5), "fd_filestat_get")).isZero();
        assertThat(probe(block(all, 5), "filetype")).isEqualTo(4);
        // closed, never opened, negative: EBADF everywhere (poll reports it in its event)
        for (int i = 6; i < 9; i++) {
            List<Integer> b = block(all, i);
            for (String name : PROBES) {
                switch (name) {
                    case "filetype" -> assertThat(probe(b, name)).isZero();
                    case "poll_oneoff", "poll_event" -> {}
                    default -> assertThat(probe(b, name)).as(name + " on #" + i).isEqualTo(EBADF);
                }
            }
            assertThat(probe(b, "poll_oneoff") == EBADF || probe(b, "poll_event") == EBADF)
                    .as("poll on #" + i)
                    .isTrue();
        }
    }

    private static final String IOVECS =
            """
            (data (i32.const 1024) "f.txt")
            (func (export "_start")
              (call $say (call $path_open (i32.const 3) (i32.const 0) (i32.const 1024) (i32.const 5)
                (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 52)))
              ;; an iovec of 2^32 - 1 bytes, one of 2^31 bytes, one that ends past memory
              (i32.store (i32.const 8448) (i32.const 8512))
              (i32.store (i32.const 8452) (i32.const -1))
              (i32.store (i32.const 8456) (i32.const 8512))
              (i32.store (i32.const 8460) (i32.const 0x80000000))
              (i32.store (i32.const 8464) (i32.const 65000))
              (i32.store (i32.const 8468) (i32.const 1000))
              (call $say (call $fd_read (i32.load (i32.const 52)) (i32.const 8448) (i32.const 1) (i32.const 8408)))
              (call $say (call $fd_read (i32.load (i32.const 52)) (i32.const 8456) (i32.const 1) (i32.const 8408)))
              (call $say (call $fd_read (i32.load (i32.const 52)) (i32.const 8464) (i32.const 1) (i32.const 8408)))
              (call $say (call $fd_pread (i32.load (i32.const 52)) (i32.const 8448) (i32.const 1) (i64.const 0) (i32.const 8408)))
              (call $say (call $fd_write (i32.load (i32.const 52)) (i32.const 8448) (i32.const 1) (i32.const 8408)))
              (call $say (call $fd_pwrite (i32.load (i32.const 52)) (i32.const 8456) (i32.const 1) (i64.const 0) (i32.const 8408)))
              (call $say (call $fd_write (i32.const 1) (i32.const 8464) (i32.const 1) (i32.const 8408)))
              (call $say (call $fd_read (i32.const 0) (i32.const 8448) (i32.const 1) (i32.const 8408))))
            """;

    @Test
    void iovecsOutsideMemoryAnswerEfault() throws IOException {
        Hostile.Result r = run(guest(IOVECS));
        assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
        assertNoClassNames(r);
        assertThat(r.stdout())
                .isEqualTo(
                        Script.lines(
                                0, EFAULT, EFAULT, EFAULT, EFAULT, EFAULT, EFAULT, EFAULT, EFAULT));
        assertThat(Files.readString(dir.resolve("f.txt"))).isEqualTo("file");
    }

    @Test
    void aCallChicoryDoesNotImplementAnswersAnErrnoWithAFaultThatNamesNoClass() {
        byte[] wasm =
                Guests.wat(
                        """
                        (module
                          (import "wasi_snapshot_preview1" "adapter_close_badfd"
                            (func $close_badfd (param i32) (result i32)))
                          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                          (memory (export "memory") 1)
                          (func (export "_start")
                            (call $exit (call $close_badfd (i32.const 3)))))
                        """);
        Hostile.Result r = run(wasm);
        assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.EXIT);
        assertThat(r.outcome().exitCode()).isEqualTo(29); // EIO
        assertNoClassNames(r);
        HostCallEvent e = r.hostCalls().get(0);
        assertThat(e.result()).isEqualTo(29L);
        assertThat(e.args()).containsEntry("fault", "the host failed to carry out the call");
    }
}
