package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read-write mount holds a private file (0600), an executable (0755), a plain file, a folder and
 * a FIFO. Copying back writes only what the guest changed: a file it left alone keeps its inode and
 * time, a file it changed keeps its mode and owner, and special files are never touched, even when
 * the guest makes a file of the same name.
 */
class CopyBackMetadataTest {
    private static final FileTime OLD = FileTime.fromMillis(946_684_800_000L);

    @TempDir Path host;

    @BeforeEach
    void setUp() throws IOException, InterruptedException {
        assumeTrue(
                host.getFileSystem().supportedFileAttributeViews().contains("unix"),
                "needs POSIX modes and inodes");
        write("secret.txt", "secret", "rw-------");
        write("run.sh", "#!/bin/sh\necho hi\n", "rwxr-xr-x");
        write("plain.txt", "plain", "rw-r--r--");
        Files.createDirectory(host.resolve("sub"));
        Files.setPosixFilePermissions(
                host.resolve("sub"), PosixFilePermissions.fromString("rwx------"));
        write("sub/deep.txt", "deep", "rw-r-----");
        Process p = new ProcessBuilder("mkfifo", host.resolve("pipe").toString()).start();
        assumeTrue(p.waitFor() == 0, "mkfifo is needed");
        for (Path f :
                List.of(
                        host.resolve("secret.txt"),
                        host.resolve("run.sh"),
                        host.resolve("plain.txt"),
                        host.resolve("sub/deep.txt"))) {
            Files.setLastModifiedTime(f, OLD);
        }
    }

    private void write(String rel, String content, String mode) throws IOException {
        Path p = Files.writeString(host.resolve(rel), content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    /** Per entry: kind, mode, owner, inode, time (links not followed). */
    private Map<String, String> metadata() throws IOException {
        Map<String, String> m = new TreeMap<>();
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(host)) {
            s.forEach(all::add);
        }
        for (Path p : all) {
            Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
            BasicFileAttributes b =
                    Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String kind = b.isDirectory() ? "dir" : b.isRegularFile() ? "file" : "other";
            String time = b.isDirectory() ? "" : " mtime=" + b.lastModifiedTime();
            m.put(
                    host.relativize(p).toString(),
                    kind
                            + " mode="
                            + Integer.toOctalString((Integer) a.get("mode"))
                            + " uid="
                            + a.get("uid")
                            + " gid="
                            + a.get("gid")
                            + " ino="
                            + a.get("ino")
                            + time);
        }
        return m;
    }

    private Hostile.Result run(Script s) {
        return Hostile.run(
                s.build(),
                Policy.builder().mount(new Mount(host, "/work", Mount.Mode.READ_WRITE)).build());
    }

    @Test
    void aRunThatChangesNothingLeavesEveryEntryAsItWas() throws IOException {
        Map<String, String> before = metadata();
        Hostile.Result r =
                run(new Script().read(3, "secret.txt").read(3, "run.sh").read(3, "sub/deep.txt"));
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout())
                .isEqualTo(Script.lines(0, "secret", 0, "#!/bin/sh\necho hi\n", 0, "deep"));
        assertThat(metadata()).isEqualTo(before);
    }

    @Test
    void changedFilesKeepTheirModeAndOwnerAndOthersAreNotRewritten() throws IOException {
        Map<String, String> before = metadata();
        Hostile.Result r =
                run(
                        new Script()
                                .write(3, "secret.txt", "changed secret")
                                .write(3, "run.sh", "#!/bin/sh\necho changed\n")
                                .write(3, "sub/deep.txt", "changed deep")
                                .write(3, "new.txt", "new"));
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        Map<String, String> after = metadata();
        assertThat(Files.readString(host.resolve("secret.txt"))).isEqualTo("changed secret");
        assertThat(Files.readString(host.resolve("run.sh"))).isEqualTo("#!/bin/sh\necho changed\n");
        assertThat(Files.readString(host.resolve("sub/deep.txt"))).isEqualTo("changed deep");
        assertThat(Files.readString(host.resolve("new.txt"))).isEqualTo("new");
        assertThat(mode("secret.txt")).isEqualTo("rw-------");
        assertThat(mode("run.sh")).isEqualTo("rwxr-xr-x");
        assertThat(mode("sub/deep.txt")).isEqualTo("rw-r-----");
        assertThat(mode("sub")).isEqualTo("rwx------");
        for (String changed : List.of("secret.txt", "run.sh", "sub/deep.txt")) {
            assertThat(owner(after.get(changed))).isEqualTo(owner(before.get(changed)));
        }
        // untouched: the same file, not a rewritten copy
        assertThat(after.get("plain.txt")).isEqualTo(before.get("plain.txt"));
        assertThat(after.get("pipe")).isEqualTo(before.get("pipe"));
        assertThat(after.get("sub")).isEqualTo(before.get("sub"));
        // the mounted folder itself is the same folder, not a swapped-in copy
        assertThat(after.get("")).isEqualTo(before.get(""));
    }

    @Test
    void specialFilesAreNeverTouched() throws IOException {
        Map<String, String> before = metadata();
        Hostile.Result r =
                run(
                        new Script()
                                // the guest does not see the FIFO: it makes a file of that name
                                .write(3, "pipe", "not a pipe")
                                .read(3, "pipe")
                                .unlink(3, "plain.txt"));
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout()).isEqualTo(Script.lines(0, 0, 0, 0, "not a pipe", 0));
        Map<String, String> after = metadata();
        assertThat(after.get("pipe")).isEqualTo(before.get("pipe")).startsWith("other");
        assertThat(after).doesNotContainKey("plain.txt");
        assertThat(after.get("secret.txt")).isEqualTo(before.get("secret.txt"));
    }

    @Test
    void aFolderHoldingASpecialFileTheGuestEmptiedAndRemovedIsKept()
            throws IOException, InterruptedException {
        Files.createDirectory(host.resolve("d"));
        Files.writeString(host.resolve("d/f.txt"), "f");
        Process p = new ProcessBuilder("mkfifo", host.resolve("d/fifo").toString()).start();
        assumeTrue(p.waitFor() == 0, "mkfifo is needed");
        Map<String, String> before = metadata();
        Hostile.Result r = run(new Script().unlink(3, "d/f.txt").rmdir(3, "d"));
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        // the guest saw d holding f.txt only; the FIFO it never saw keeps d on the host
        assertThat(r.stdout()).isEqualTo(Script.lines(0, 0));
        Map<String, String> after = metadata();
        assertThat(after).doesNotContainKey("d/f.txt");
        assertThat(after.get("d/fifo")).isEqualTo(before.get("d/fifo"));
        assertThat(after.get("d")).isEqualTo(before.get("d"));
    }

    @Test
    void asRootAChangedFileKeepsAnotherUsersOwnership() throws IOException {
        assumeTrue(
                Integer.valueOf(0).equals(Files.getAttribute(host, "unix:uid")),
                "only root can give a file to another user");
        Path f = host.resolve("secret.txt");
        Files.setAttribute(f, "unix:uid", 4242, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(f, "unix:gid", 4343, LinkOption.NOFOLLOW_LINKS);
        Hostile.Result r = run(new Script().write(3, "secret.txt", "changed by the guest"));
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(Files.readString(f)).isEqualTo("changed by the guest");
        assertThat(Files.getAttribute(f, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(4242);
        assertThat(Files.getAttribute(f, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(4343);
        assertThat(mode("secret.txt")).isEqualTo("rw-------");
    }

    @Test
    void inTheSingleRootAMountNestedInsideIsNotCopiedIntoTheOuterOne(@TempDir Path ref)
            throws IOException {
        Files.writeString(ref.resolve("r.txt"), "reference");
        Map<String, String> before = metadata();
        Hostile.Result r =
                Hostile.runSingleRoot(
                        new Script()
                                .write(3, "work/new.txt", "new")
                                .read(3, "work/ref/r.txt")
                                .build(),
                        Policy.builder()
                                .mount(new Mount(host, "/work", Mount.Mode.READ_WRITE))
                                .mount(new Mount(ref, "/work/ref", Mount.Mode.READ_ONLY))
                                .build());
        assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
        assertThat(r.stdout()).isEqualTo(Script.lines(0, 0, 0, 0, "reference"));
        Map<String, String> after = metadata();
        assertThat(Files.readString(host.resolve("new.txt"))).isEqualTo("new");
        after.remove("new.txt");
        assertThat(after).isEqualTo(before);
    }

    private String mode(String rel) throws IOException {
        return PosixFilePermissions.toString(
                Files.getPosixFilePermissions(host.resolve(rel), LinkOption.NOFOLLOW_LINKS));
    }

    private static String owner(String metadata) {
        return metadata.replaceAll(".*(uid=\\S+ gid=\\S+).*", "$1");
    }
}
