package dev.airlock.core.hostile;

import static dev.airlock.core.hostile.Hostile.ENOENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A mounted host folder holds symbolic links to a secret file and a secret directory outside it,
 * and a hard link to a file outside it. The guest must not read through the symbolic links, and a
 * read-write run must not write through any link: the outside files stay as they were.
 */
class LinkEscapeTest {
    private static final String SECRET = "TOP-SECRET-93b2";
    private static final String INNER = "INNER-SECRET-5d0e";
    private static final String HARD = "HARD-ORIGINAL-11aa";

    @TempDir Path base;
    private Path mount;
    private Path secretFile;
    private Path secretDir;
    private Path hardOutside;

    @BeforeEach
    void setUp() throws IOException {
        secretFile = Files.writeString(base.resolve("secret.txt"), SECRET);
        secretDir = Files.createDirectory(base.resolve("secret-dir"));
        Files.writeString(secretDir.resolve("inner.txt"), INNER);
        hardOutside = Files.writeString(base.resolve("hard-outside.txt"), HARD);
        mount = Files.createDirectory(base.resolve("mount"));
        Files.writeString(mount.resolve("normal.txt"), "hello");
        try {
            Files.createSymbolicLink(mount.resolve("link-file"), secretFile);
            Files.createSymbolicLink(mount.resolve("link-rel"), Path.of("../secret.txt"));
            Files.createSymbolicLink(mount.resolve("link-dir"), secretDir);
            Files.createLink(mount.resolve("hard.txt"), hardOutside);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "this file system cannot make links: " + e);
        }
    }

    /** Everything outside the mounted folder, as it must stay. */
    private Map<String, String> outside() {
        Map<String, String> m = Hostile.snapshot(base);
        m.keySet().removeIf(k -> k.startsWith("mount/") || k.equals("mount"));
        return m;
    }

    private static Script readAttempts() {
        Script s = new Script();
        for (String path :
                new String[] {
                    "link-file", "link-rel", "link-dir/inner.txt", "link-dir/../secret.txt"
                }) {
            s.read(3, path);
            s.open(3, 0, path, 0, Hostile.RIGHT_FD_READ, 0, 0);
        }
        return s.openDir(3, "link-dir").readlink(3, "link-file").read(3, "normal.txt");
    }

    private static final String READ_ATTEMPTS_OUTPUT =
            Script.lines(
                    ENOENT, ENOENT, // link-file
                    ENOENT, ENOENT, // link-rel
                    ENOENT, ENOENT, // link-dir/inner.txt
                    ENOENT, ENOENT, // link-dir/../secret.txt is secret.txt in the mount
                    ENOENT, // opening link-dir as a directory
                    ENOENT, // readlink link-file
                    0, "hello");

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mount.Mode.class)
    void linksAreNotFollowedOutOfTheMount(Mount.Mode mode) {
        Map<String, String> before = outside();
        Hostile.Result r =
                Hostile.run(
                        readAttempts().build(),
                        Policy.builder().mount(new Mount(mount, "/m", mode)).build());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout()).isEqualTo(READ_ATTEMPTS_OUTPUT);
        assertThat(r.stdout()).doesNotContain(SECRET).doesNotContain(INNER);
        assertThat(outside()).isEqualTo(before);
        assertLinksIntact();
    }

    @Test
    void writingAtTheLinksNamesDoesNotWriteThroughThem() throws IOException {
        Map<String, String> before = outside();
        Hostile.Result r =
                Hostile.run(
                        new Script()
                                // the links are not in the sandbox: these make new files
                                .write(3, "link-file", "PWNED-1")
                                .write(3, "link-rel", "PWNED-2")
                                // there is no directory behind link-dir: make one, and a file
                                .write(3, "link-dir/inner.txt", "PWNED-3")
                                .mkdir(3, "link-dir")
                                .write(3, "link-dir/inner.txt", "PWNED-4")
                                // the hard-linked file's content is the host's, but writing it
                                // must not reach the file outside
                                .read(3, "hard.txt")
                                .write(3, "hard.txt", "PWNED-5")
                                // a link the guest makes itself is not copied out
                                .symlink("normal.txt", 3, "guest-link")
                                .build(),
                        Policy.builder()
                                .mount(new Mount(mount, "/m", Mount.Mode.READ_WRITE))
                                .build());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout())
                .isEqualTo(
                        Script.lines(
                                0, 0, 0, // link-file
                                0, 0, 0, // link-rel
                                ENOENT, // no link-dir yet
                                0, // mkdir link-dir
                                0, 0, 0, // link-dir/inner.txt
                                0, HARD, // read hard.txt
                                0, 0, 0, // write hard.txt
                                0)); // guest-link
        // nothing outside changed: no write went through a link
        assertThat(outside()).isEqualTo(before);
        assertThat(Files.readString(secretFile)).isEqualTo(SECRET);
        assertThat(Files.readString(secretDir.resolve("inner.txt"))).isEqualTo(INNER);
        assertThat(Files.readString(hardOutside)).isEqualTo(HARD);
        // the guest's files replaced the links inside the mounted folder
        assertThat(Hostile.snapshot(mount))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "/", "",
                                "normal.txt", "hello",
                                "link-file", "PWNED-1",
                                "link-rel", "PWNED-2",
                                "link-dir/", "",
                                "link-dir/inner.txt", "PWNED-4",
                                "hard.txt", "PWNED-5"));
    }

    @Test
    void aReadWriteRunThatLeavesTheLinksAloneKeepsThem() throws IOException {
        Map<String, String> before = outside();
        Hostile.Result r =
                Hostile.run(
                        new Script().write(3, "new.txt", "new").build(),
                        Policy.builder()
                                .mount(new Mount(mount, "/m", Mount.Mode.READ_WRITE))
                                .build());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(outside()).isEqualTo(before);
        assertLinksIntact();
        assertThat(Files.readString(mount.resolve("new.txt"))).isEqualTo("new");
        assertThat(Files.readString(mount.resolve("hard.txt"))).isEqualTo(HARD);
    }

    private void assertLinksIntact() {
        try {
            assertThat(Files.readSymbolicLink(mount.resolve("link-file"))).isEqualTo(secretFile);
            assertThat(Files.readSymbolicLink(mount.resolve("link-rel")))
                    .isEqualTo(Path.of("../secret.txt"));
            assertThat(Files.readSymbolicLink(mount.resolve("link-dir"))).isEqualTo(secretDir);
            assertThat(Files.isRegularFile(mount.resolve("hard.txt"), LinkOption.NOFOLLOW_LINKS))
                    .isTrue();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
