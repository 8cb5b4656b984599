package dev.airlock.core.vfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read-only mounts shown from one shared copy of their host folder: filesystems that mount the same
 * unchanged folder read one volume; any change to the folder (a file rewritten with its size and
 * time forged back, a file added, a folder removed) makes the next filesystem read it again; the
 * mount's files still count towards the quota; mounts that overlap another, and a single root's
 * mounts, are copied.
 */
class HostFolderSharingTest {
    @TempDir Path host;
    @TempDir Path other;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(host.resolve("a.txt"), "alpha");
        Files.createDirectories(host.resolve("sub/deeper"));
        Files.writeString(host.resolve("sub/b.txt"), "beta");
    }

    private VirtualFileSystem multi(Mount... mounts) throws IOException {
        return VirtualFileSystem.create(List.of(mounts), Limits.defaults());
    }

    private Mount ro(String guest) {
        return new Mount(host, guest, Mount.Mode.READ_ONLY);
    }

    private static FileSystem fsOf(VirtualFileSystem vfs, String path) throws IOException {
        return vfs.resolve(path).getFileSystem();
    }

    @Test
    void theSameUnchangedFolderIsReadFromOneCopy() throws IOException {
        try (VirtualFileSystem a = multi(ro("/data"));
                VirtualFileSystem b = multi(ro("/data"));
                VirtualFileSystem c = multi(ro("/elsewhere"))) {
            assertThat(fsOf(b, "/data")).isSameAs(fsOf(a, "/data"));
            assertThat(fsOf(c, "/elsewhere")).isNotSameAs(fsOf(a, "/data"));
            assertThat(a.isShared(0)).isTrue();
            assertThat(a.isReadOnly(0)).isTrue();
            assertThat(a.mount(0).host()).isEqualTo(host);
            assertThat(Files.readString(b.resolve("/data/sub/b.txt"))).isEqualTo("beta");
            assertThat(Files.isDirectory(b.resolve("/data/sub/deeper"))).isTrue();
            // entries by guest path, and the times one constant
            assertThat(a.sharedEntries(0))
                    .extracting(e -> e.path())
                    .containsExactly(
                            "/data/a.txt", "/data/sub", "/data/sub/b.txt", "/data/sub/deeper");
            assertThat(Files.getLastModifiedTime(a.resolve("/data/a.txt")))
                    .isEqualTo(SharedVolume.TIME);
            // the mount's files count as its copy's did: 2 files and 2 folders, blocks in use
            assertThat(a.fileCount()).isEqualTo(4);
            assertThat(a.usedBytes()).isPositive();
        }
    }

    @Test
    void aRewrittenFileIsReadAgainEvenWithItsSizeAndTimeForgedBack() throws IOException {
        Path f = host.resolve("a.txt");
        FileTime was = Files.getLastModifiedTime(f);
        try (VirtualFileSystem a = multi(ro("/data"))) {
            Files.writeString(f, "ALPHA"); // same size
            Files.setLastModifiedTime(f, was);
            try (VirtualFileSystem b = multi(ro("/data"))) {
                assertThat(Files.readString(b.resolve("/data/a.txt"))).isEqualTo("ALPHA");
                assertThat(Files.readString(a.resolve("/data/a.txt"))).isEqualTo("alpha");
                assertThat(fsOf(b, "/data")).isNotSameAs(fsOf(a, "/data"));
            }
        }
    }

    @Test
    void addedAndRemovedEntriesAreSeen() throws IOException {
        try (VirtualFileSystem a = multi(ro("/data"))) {
            Files.writeString(host.resolve("sub/new.txt"), "new");
            Files.delete(host.resolve("sub/deeper"));
            try (VirtualFileSystem b = multi(ro("/data"))) {
                assertThat(Files.readString(b.resolve("/data/sub/new.txt"))).isEqualTo("new");
                assertThat(Files.exists(b.resolve("/data/sub/deeper"))).isFalse();
                assertThat(Files.exists(a.resolve("/data/sub/new.txt"))).isFalse();
            }
        }
    }

    @Test
    void linksInTheHostFolderAreNotFollowed() throws IOException {
        Files.writeString(other.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(host.resolve("link.txt"), other.resolve("secret.txt"));
        Files.createSymbolicLink(host.resolve("linkdir"), other);
        try (VirtualFileSystem a = multi(ro("/data"))) {
            assertThat(Files.exists(a.resolve("/data/link.txt"))).isFalse();
            assertThat(Files.exists(a.resolve("/data/linkdir"))).isFalse();
            assertThat(a.sharedEntries(0))
                    .extracting(e -> e.path())
                    .doesNotContain("/data/link.txt");
        }
    }

    @Test
    void theQuotaStillCoversASharedMount() throws IOException {
        Files.write(host.resolve("big.bin"), new byte[200_000]);
        Limits small = Limits.builder().fsQuotaBytes(100_000).build();
        assertThatThrownBy(() -> VirtualFileSystem.create(List.of(ro("/data")), small).close())
                .isInstanceOf(QuotaExceededException.class);
        Limits fewFiles = Limits.builder().fsQuotaFiles(3).build();
        assertThatThrownBy(() -> VirtualFileSystem.create(List.of(ro("/data")), fewFiles).close())
                .isInstanceOf(QuotaExceededException.class);
    }

    @Test
    void aSingleRootCopiesItsMountsAsBefore() throws IOException {
        // an interpreter restored from its image knows only the image's preopened folders, so a
        // single root never adds one for a mount
        try (VirtualFileSystem root =
                VirtualFileSystem.createRoot(List.of(ro("/packages/0")), Limits.defaults())) {
            assertThat(root.size()).isEqualTo(1);
            assertThat(Files.readString(root.resolve("/packages/0/a.txt"))).isEqualTo("alpha");
        }
    }

    @Test
    void mountsThatOverlapAnotherAreCopied() throws IOException {
        try (VirtualFileSystem nested =
                multi(ro("/data"), new Mount(other, "/data/x", Mount.Mode.READ_ONLY))) {
            assertThat(nested.isShared(0)).isFalse();
            assertThat(nested.isShared(1)).isFalse();
            assertThat(Files.readString(nested.resolve("/data/a.txt"))).isEqualTo("alpha");
        }
    }

    @Test
    void aMountAboveTheSharedSizeIsCopied() throws IOException {
        try (java.io.RandomAccessFile f =
                new java.io.RandomAccessFile(host.resolve("big.bin").toFile(), "rw")) {
            f.setLength(SharedVolume.MAX_SHARED_MOUNT_BYTES + 1); // sparse on the host
        }
        Limits roomy = Limits.builder().fsQuotaBytes(256L << 20).build();
        try (VirtualFileSystem a = VirtualFileSystem.create(List.of(ro("/data")), roomy)) {
            assertThat(a.isShared(0)).isFalse();
            assertThat(Files.size(a.resolve("/data/big.bin")))
                    .isEqualTo(SharedVolume.MAX_SHARED_MOUNT_BYTES + 1);
        }
    }

    @Test
    void hostWritesIntoASharedMountAreRefused() throws IOException {
        try (VirtualFileSystem a = multi(ro("/data"))) {
            GuestFiles gf = new GuestFiles(a);
            assertThatThrownBy(() -> gf.write("/data/new.txt", new byte[] {1}))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("read-only");
            assertThat(Files.exists(host.resolve("new.txt"))).isFalse();
        }
    }
}
