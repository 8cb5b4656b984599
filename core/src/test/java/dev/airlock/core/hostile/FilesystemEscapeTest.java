package dev.airlock.core.hostile;

import static dev.airlock.core.hostile.Hostile.EACCES;
import static dev.airlock.core.hostile.Hostile.EBADF;
import static dev.airlock.core.hostile.Hostile.EINVAL;
import static dev.airlock.core.hostile.Hostile.ENOENT;
import static dev.airlock.core.hostile.Hostile.ENOTDIR;
import static dev.airlock.core.hostile.Hostile.EPERM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guests that try to read host files outside their mounts: the host's {@code /etc/passwd} and a
 * secret planted beside the mounted folder, through every descriptor, with absolute paths, {@code
 * ..}, NUL bytes, and symbolic links they create themselves. Every attempt fails with an errno and
 * no byte of the host files reaches the guest.
 */
class FilesystemEscapeTest {
    private static final String SECRET = "OUTSIDE-SECRET-7c1f";

    @TempDir Path base;
    private Path box;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(base.resolve("secret.txt"), SECRET);
        box = Files.createDirectory(base.resolve("box"));
        Files.writeString(box.resolve("readme.txt"), "inside");
    }

    /** Paths that name something outside the sandbox. */
    private static final List<String> ESCAPES =
            List.of(
                    "/etc/passwd",
                    "//etc/passwd",
                    "../../../../../../../../../../etc/passwd",
                    "../".repeat(200) + "etc/passwd",
                    "./../etc/passwd",
                    "readme.txt/../../etc/passwd",
                    "../secret.txt",
                    "../box/../secret.txt",
                    "..",
                    "/",
                    "etc/passwd\0",
                    "readme.txt\0../../etc/passwd");

    private void assertNothingLeaked(Hostile.Result r) throws IOException {
        assertThat(r.stdout()).doesNotContain(SECRET).doesNotContain("root:");
        assertThat(r.stderr()).isEmpty();
        // and nothing outside the mounted folder changed
        assertThat(Files.readString(base.resolve("secret.txt"))).isEqualTo(SECRET);
        try (var s = Files.list(base)) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("secret.txt", "box");
        }
    }

    @Test
    void hostFilesExistForTheAttemptsToBeMeaningful() throws IOException {
        // the guests below aim at real host files
        assertThat(Files.readString(base.resolve("secret.txt"))).isEqualTo(SECRET);
        Path passwd = Path.of("/etc/passwd");
        if (Files.isReadable(passwd)) {
            assertThat(Files.readString(passwd)).contains("root:");
        }
    }

    @Test
    void everyDescriptorWithoutMounts() throws IOException {
        Script s = new Script();
        List<Object> expected = new ArrayList<>();
        for (int fd = 0; fd <= 10; fd++) {
            for (String path : ESCAPES) {
                s.read(fd, path);
                expected.add(fd <= 2 ? ENOTDIR : EBADF);
            }
        }
        Hostile.Result r = Hostile.run(s.build(), Policy.defaults());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout()).isEqualTo(Script.lines(expected.toArray()));
        assertNothingLeaked(r);
    }

    @Test
    void everyDescriptorWithAReadOnlyMount() throws IOException {
        Script s = new Script();
        List<Object> expected = new ArrayList<>();
        for (int fd = 0; fd <= 10; fd++) {
            for (String path : ESCAPES) {
                s.read(fd, path);
                expected.add(escapeErrno(fd, path));
            }
        }
        Hostile.Result r =
                Hostile.run(
                        s.build(),
                        Policy.builder()
                                .mount(new Mount(box, "/sandbox", Mount.Mode.READ_ONLY))
                                .build());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout()).isEqualTo(Script.lines(expected.toArray()));
        assertNothingLeaked(r);
    }

    private static int escapeErrno(int fd, String path) {
        if (fd <= 2) {
            return ENOTDIR;
        }
        if (fd > 3) {
            return EBADF;
        }
        return path.endsWith("\0") ? EINVAL : EPERM;
    }

    @Test
    void symlinksCreatedByTheGuest() throws IOException {
        Map<String, String> before = Hostile.snapshot(base);
        Script s =
                new Script()
                        // links whose targets leave the sandbox cannot even be made
                        .symlink("/etc/passwd", 3, "l-abs")
                        .symlink("../../..", 3, "l-up")
                        .symlink("../secret.txt", 3, "l-secret")
                        .symlink("sub/../../secret.txt", 3, "l-sneaky")
                        .symlink("..", 3, "l-parent")
                        // so opening them finds nothing
                        .read(3, "l-abs")
                        .read(3, "l-up/etc/passwd")
                        .read(3, "l-secret")
                        .read(3, "l-sneaky")
                        .read(3, "l-parent/secret.txt")
                        // a link inside the sandbox works, also in a chain
                        .symlink("readme.txt", 3, "l-ok")
                        .symlink("l-ok", 3, "l-chain")
                        .read(3, "l-ok")
                        .read(3, "l-chain")
                        .readlink(3, "l-ok")
                        // from a subdirectory, .. is refused as a link target too
                        .mkdir(3, "sub")
                        .openDir(3, "sub")
                        .symlink("..", Script.LAST_FD, "up")
                        .symlink("../../secret.txt", Script.LAST_FD, "up2")
                        .read(Script.LAST_FD, "../secret.txt")
                        .read(Script.LAST_FD, "../readme.txt")
                        .read(Script.LAST_FD, "up/readme.txt")
                        // a link to a directory, then a path through it that climbs out
                        .symlink("sub", 3, "l-dir")
                        .read(3, "l-dir/../../secret.txt")
                        .read(3, "l-dir/../readme.txt");
        Hostile.Result r =
                Hostile.run(
                        s.build(),
                        Policy.builder().mount(new Mount(box, "/", Mount.Mode.READ_WRITE)).build());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout())
                .isEqualTo(
                        Script.lines(
                                EACCES,
                                EACCES,
                                EACCES,
                                EACCES,
                                EACCES, // no link made
                                ENOENT,
                                ENOENT,
                                ENOENT,
                                ENOENT,
                                ENOENT, // nothing to open
                                0,
                                0, // l-ok, l-chain
                                0,
                                "inside", // read l-ok
                                0,
                                "inside", // read l-chain
                                0,
                                "readme.txt", // readlink l-ok
                                0,
                                0, // mkdir sub, open sub
                                EACCES,
                                EACCES, // no link to .. from sub
                                EPERM,
                                EPERM, // no .. from sub
                                ENOENT, // up was never made
                                0, // l-dir
                                EPERM, // .. through a link is still ..
                                0,
                                "inside")); // and stays inside when it does not climb out
        assertNothingLeaked(r);
        // the guest's links were not copied back to the host; its directory was
        Map<String, String> after = Hostile.snapshot(base);
        before.put("box/sub/", "");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void descriptorGamesDoNotReachTheHost() throws IOException {
        Script s =
                new Script()
                        // move the preopen onto stdin's number, then use it from there
                        .call("(call $fd_renumber (i32.const 3) (i32.const 0))")
                        // the opened file takes the freed number 3
                        .read(0, "readme.txt")
                        .read(0, "../secret.txt")
                        .read(3, "readme.txt")
                        // close the sandbox's root: nothing is left to open from
                        .call("(call $fd_close (i32.const 0))")
                        .read(0, "readme.txt")
                        .read(3, "../secret.txt")
                        .read(4, "../secret.txt");
        Hostile.Result r =
                Hostile.run(
                        s.build(),
                        Policy.builder()
                                .mount(new Mount(box, "/sandbox", Mount.Mode.READ_ONLY))
                                .build());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout())
                .isEqualTo(Script.lines(0, 0, "inside", EPERM, ENOTDIR, 0, EBADF, ENOTDIR, EBADF));
        assertNothingLeaked(r);
    }
}
