package dev.airlock.core.vfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long-lived instance copies back after each call: each copy-back starts from what the last one
 * left, so a file the guest removed once is not removed again when the host brings it back, and a
 * file written once is not written again.
 */
class CopyBackTwiceTest {
    @TempDir Path host;

    @Test
    void eachCopyBackChangesOnlyWhatChangedSinceTheLastOne() throws IOException {
        Files.writeString(host.resolve("gone.txt"), "guest removes me");
        try (VirtualFileSystem vfs =
                VirtualFileSystem.create(
                        List.of(new Mount(host, "/w", Mount.Mode.READ_WRITE)), Limits.defaults())) {
            GuestFiles files = new GuestFiles(vfs);
            Files.delete(vfs.resolve("/w/gone.txt"));
            files.write("/w/made.txt", "made".getBytes());
            vfs.copyBack();
            assertThat(host.resolve("gone.txt")).doesNotExist();
            assertThat(Files.readString(host.resolve("made.txt"))).isEqualTo("made");
            Object inode = Files.getAttribute(host.resolve("made.txt"), "unix:ino");

            // the host brings the file back; the guest changes nothing
            Files.writeString(host.resolve("gone.txt"), "the host's again");
            vfs.copyBack();
            assertThat(Files.readString(host.resolve("gone.txt"))).isEqualTo("the host's again");
            assertThat(Files.getAttribute(host.resolve("made.txt"), "unix:ino")).isEqualTo(inode);

            // the guest changes its file again
            files.write("/w/made.txt", "changed".getBytes());
            vfs.copyBack();
            assertThat(Files.readString(host.resolve("made.txt"))).isEqualTo("changed");
            assertThat(Files.isRegularFile(host.resolve("gone.txt"), LinkOption.NOFOLLOW_LINKS))
                    .isTrue();
        }
    }
}
