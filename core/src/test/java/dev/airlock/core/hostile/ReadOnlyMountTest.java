package dev.airlock.core.hostile;

import static dev.airlock.core.hostile.Hostile.ENOTCAPABLE;
import static dev.airlock.core.hostile.Hostile.EROFS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.event.Decision;
import dev.airlock.core.event.HostCallEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guests that try to change a read-only mount in every way WASI offers. Each attempt fails with
 * {@code EROFS} and is recorded as a denial of rule {@code fs.read-only}; reading still works; the
 * host folder is unchanged.
 */
class ReadOnlyMountTest {
    private static final String RO = "fs.read-only";
    private static final long RW_RIGHTS = Hostile.RIGHT_FD_READ | Hostile.RIGHT_FD_WRITE;

    @TempDir Path ro;
    @TempDir Path rw;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(ro.resolve("a.txt"), "original-a");
        Files.createDirectory(ro.resolve("sub"));
        Files.writeString(ro.resolve("sub/b.txt"), "original-b");
        Files.createDirectory(ro.resolve("empty"));
        Files.writeString(rw.resolve("x.txt"), "scratch");
    }

    private Policy policy() {
        return Policy.builder()
                .mount(new Mount(ro, "/data", Mount.Mode.READ_ONLY))
                .mount(new Mount(rw, "/scratch", Mount.Mode.READ_WRITE))
                .build();
    }

    private static void assertDenials(Hostile.Result r, List<String> calls) {
        assertThat(r.outcome().denials()).containsExactlyElementsOf(Hostile.readOnlyDenials(calls));
        List<HostCallEvent> denied =
                r.hostCalls().stream()
                        .filter(e -> e.decision() == Decision.DENY)
                        .collect(Collectors.toList());
        assertThat(denied).allMatch(e -> RO.equals(e.rule()) && e.result() == EROFS);
        assertThat(denied).hasSize(calls.size());
    }

    @Test
    void openingForWritingIsRefused() throws IOException {
        Map<String, String> before = Hostile.snapshot(ro);
        Script s =
                new Script()
                        .open(3, 0, "a.txt", Hostile.O_CREAT, RW_RIGHTS, RW_RIGHTS, 0)
                        .open(3, 0, "a.txt", Hostile.O_TRUNC, Hostile.RIGHT_FD_READ, 0, 0)
                        .open(3, 0, "a.txt", 0, RW_RIGHTS, 0, 0)
                        .open(3, 0, "a.txt", 0, Hostile.RIGHT_FD_READ, 0, Hostile.FDFLAG_APPEND)
                        .open(3, 0, "new.txt", Hostile.O_CREAT | Hostile.O_EXCL, RW_RIGHTS, 0, 0)
                        // short names, no inheritable rights: nothing but the flags says "write"
                        .open(3, 0, "ab", Hostile.O_CREAT, RW_RIGHTS, 0, 0)
                        .open(3, 0, "abcd", Hostile.O_CREAT | Hostile.O_TRUNC, 0, 0, 0)
                        .open(3, 0, "a.txt", 0, Hostile.RIGHT_FD_WRITE, 0, 0)
                        // as wasi-libc opens for writing: every right inheritable
                        .open(
                                3,
                                Hostile.LOOKUP_SYMLINK_FOLLOW,
                                "sub/b.txt",
                                Hostile.O_CREAT | Hostile.O_TRUNC,
                                Hostile.RIGHTS_ALL,
                                Hostile.RIGHTS_ALL,
                                0)
                        // and the file is still there to read, unchanged
                        .read(3, "a.txt")
                        .read(3, "sub/b.txt");
        Hostile.Result r = Hostile.run(s.build(), policy());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout())
                .isEqualTo(
                        Script.lines(
                                EROFS,
                                EROFS,
                                EROFS,
                                EROFS,
                                EROFS,
                                EROFS,
                                EROFS,
                                EROFS,
                                EROFS,
                                0,
                                "original-a",
                                0,
                                "original-b"));
        assertDenials(r, Collections.nCopies(9, "path_open"));
        assertThat(Hostile.snapshot(ro)).isEqualTo(before);
    }

    @Test
    void readingWithTheRightsWasiLibcAsksForIsAllowed() {
        // wasi-libc's open(O_RDONLY) passes every right as inheritable; that is no write
        Script s = new Script();
        for (String path : List.of("a.txt", "sub/b.txt", "./a.txt", "sub/../a.txt")) {
            s.read(3, path);
            s.open(3, 0, path, 0, Hostile.RIGHT_FD_READ, 0, 0);
        }
        Hostile.Result r = Hostile.run(s.build(), policy());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout())
                .isEqualTo(
                        Script.lines(
                                0,
                                "original-a",
                                0,
                                "original-a",
                                0,
                                "original-b",
                                0,
                                "original-b",
                                0,
                                "original-a",
                                0,
                                "original-a",
                                0,
                                "original-a",
                                0,
                                "original-a"));
        assertThat(r.outcome().denials()).isEmpty();
    }

    @Test
    void changingTheTreeIsRefused() throws IOException {
        Map<String, String> before = Hostile.snapshot(ro);
        Map<String, String> rwBefore = Hostile.snapshot(rw);
        Script s =
                new Script()
                        .unlink(3, "a.txt")
                        .rename(3, "a.txt", 3, "c.txt")
                        .mkdir(3, "newdir")
                        .rmdir(3, "empty")
                        .symlink("a.txt", 3, "ln")
                        .link(3, "a.txt", 3, "hl")
                        .call(
                                "(call $path_filestat_set_times (i32.const 3) (i32.const 0)"
                                        + " (i32.const 1024) (i32.const 5) (i64.const 0)"
                                        + " (i64.const 0) (i32.const 5))")
                        // across mounts, in both directions
                        .rename(3, "a.txt", 4, "moved.txt")
                        .rename(4, "x.txt", 3, "x.txt")
                        .link(4, "x.txt", 3, "x.txt")
                        .read(3, "a.txt")
                        .read(3, "empty/../a.txt");
        Hostile.Result r = Hostile.run(s.build(), policy());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout())
                .isEqualTo(
                        Script.lines(
                                EROFS,
                                EROFS,
                                EROFS,
                                EROFS,
                                EROFS,
                                EROFS,
                                EROFS,
                                EROFS,
                                EROFS,
                                EROFS,
                                0,
                                "original-a",
                                0,
                                "original-a"));
        assertDenials(
                r,
                List.of(
                        "path_unlink_file",
                        "path_rename",
                        "path_create_directory",
                        "path_remove_directory",
                        "path_symlink",
                        "path_link",
                        "path_filestat_set_times",
                        "path_rename",
                        "path_rename",
                        "path_link"));
        assertThat(Hostile.snapshot(ro)).isEqualTo(before);
        assertThat(Hostile.snapshot(rw)).isEqualTo(rwBefore);
    }

    @Test
    void changingAnOpenFileIsRefused() throws IOException {
        Map<String, String> before = Hostile.snapshot(ro);
        Script s =
                new Script()
                        .read(3, "a.txt")
                        // the file is open for reading only: writing through it is not possible
                        .call(
                                "(call $fd_write (i32.load (i32.const 48)) (i32.const 32)"
                                        + " (i32.const 1) (i32.const 40))")
                        .call(
                                "(call $fd_pwrite (i32.load (i32.const 48)) (i32.const 32)"
                                        + " (i32.const 1) (i64.const 0) (i32.const 40))")
                        // and changing its size or times is refused by the mount
                        .call(
                                "(call $fd_filestat_set_size (i32.load (i32.const 48))"
                                        + " (i64.const 0))")
                        .call(
                                "(call $fd_filestat_set_size (i32.load (i32.const 48))"
                                        + " (i64.const 100000))")
                        .call(
                                "(call $fd_allocate (i32.load (i32.const 48)) (i64.const 0)"
                                        + " (i64.const 100000))")
                        .call(
                                "(call $fd_filestat_set_times (i32.load (i32.const 48))"
                                        + " (i64.const 0) (i64.const 0) (i32.const 5))")
                        .read(3, "a.txt");
        Hostile.Result r = Hostile.run(s.build(), policy());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout())
                .isEqualTo(
                        Script.lines(
                                0,
                                "original-a",
                                ENOTCAPABLE,
                                ENOTCAPABLE,
                                EROFS,
                                EROFS,
                                EROFS,
                                EROFS,
                                0,
                                "original-a"));
        assertDenials(
                r,
                List.of(
                        "fd_filestat_set_size",
                        "fd_filestat_set_size",
                        "fd_allocate",
                        "fd_filestat_set_times"));
        assertThat(Hostile.snapshot(ro)).isEqualTo(before);
    }

    @Test
    void descriptorsOpenedInsideTheMountAreReadOnlyToo() throws IOException {
        Map<String, String> before = Hostile.snapshot(ro);
        Script s =
                new Script()
                        .openDir(3, "sub")
                        .open(Script.LAST_FD, 0, "x.txt", Hostile.O_CREAT, RW_RIGHTS, 0, 0)
                        .unlink(Script.LAST_FD, "b.txt")
                        .mkdir(Script.LAST_FD, "d")
                        .symlink("b.txt", Script.LAST_FD, "l")
                        // the directory moved onto the read-write mount's number stays read-only
                        .call("(call $fd_renumber (i32.load (i32.const 48)) (i32.const 4))")
                        .unlink(4, "b.txt")
                        .open(4, 0, "y.txt", Hostile.O_CREAT, RW_RIGHTS, 0, 0)
                        .read(4, "b.txt");
        Hostile.Result r = Hostile.run(s.build(), policy());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout())
                .isEqualTo(
                        Script.lines(
                                0, EROFS, EROFS, EROFS, EROFS, 0, EROFS, EROFS, 0, "original-b"));
        assertDenials(
                r,
                List.of(
                        "path_open",
                        "path_unlink_file",
                        "path_create_directory",
                        "path_symlink",
                        "path_unlink_file",
                        "path_open"));
        assertThat(Hostile.snapshot(ro)).isEqualTo(before);
    }

    @Test
    void aReadWriteDescriptorMovedOntoTheReadOnlyNumberIsWritable() throws IOException {
        // the read-only rule follows the descriptor, not its number
        Script s =
                new Script()
                        .call("(call $fd_renumber (i32.const 4) (i32.const 3))")
                        .write(3, "made.txt", "made")
                        .read(3, "made.txt");
        Hostile.Result r = Hostile.run(s.build(), policy());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout()).isEqualTo(Script.lines(0, 0, 0, 0, 0, "made"));
        assertThat(r.outcome().denials()).isEmpty();
        assertThat(Files.readString(rw.resolve("made.txt"))).isEqualTo("made");
        assertThat(ro.resolve("made.txt")).doesNotExist();
    }
}
