package dev.airlock.core.vfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One copy in memory for the same files: filesystems that show the same files in a shared folder
 * read one volume (matched by the arrays, or else by the bytes), other files get their own, and a
 * volume is closed only once no filesystem holds it and the cache has let it go.
 */
class SharedVolumeTest {
    private static List<Snapshot.Entry> files(String... contents) {
        List<Snapshot.Entry> out = new ArrayList<>();
        for (int i = 0; i < contents.length; i++) {
            out.add(
                    new Snapshot.Entry(
                            "/lib/f" + i + ".txt", contents[i].getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static VirtualFileSystem root() throws IOException {
        return VirtualFileSystem.createRoot(List.of(), Limits.defaults());
    }

    private static FileSystem sharedFs(VirtualFileSystem vfs) throws IOException {
        return vfs.resolve("/lib/f0.txt").getFileSystem();
    }

    @Test
    void theSameFilesAreReadFromOneCopy() throws IOException {
        List<Snapshot.Entry> one = files("alpha-" + System.nanoTime(), "beta");
        // the same bytes in other arrays, in another order
        List<Snapshot.Entry> again =
                List.of(
                        new Snapshot.Entry(one.get(1).path(), one.get(1).content().clone()),
                        new Snapshot.Entry(one.get(0).path(), one.get(0).content().clone()));
        List<Snapshot.Entry> other = files("gamma-" + System.nanoTime(), "beta");
        try (VirtualFileSystem a = root();
                VirtualFileSystem b = root();
                VirtualFileSystem c = root();
                VirtualFileSystem d = root()) {
            a.attachShared("/lib", one);
            b.attachShared("/lib", one);
            c.attachShared("/lib", again);
            d.attachShared("/lib", other);
            assertThat(sharedFs(b)).isSameAs(sharedFs(a));
            assertThat(sharedFs(c)).isSameAs(sharedFs(a));
            assertThat(sharedFs(d)).isNotSameAs(sharedFs(a));
            assertThat(sharedFs(a)).isNotSameAs(a.resolve("/").getFileSystem());
            assertThat(Files.readString(d.resolve("/lib/f0.txt"))).startsWith("gamma-");
            assertThat(Files.readString(a.resolve("/lib/f0.txt"))).startsWith("alpha-");
            // the files are the volume's, the same arrays, sorted by path
            int shared = a.size() - 1;
            assertThat(a.isShared(shared)).isTrue();
            assertThat(a.isReadOnly(shared)).isTrue();
            assertThat(a.sharedEntries(shared).get(0).content()).isSameAs(one.get(0).content());
            // and none of it is the instances' own: no bytes, no files counted
            assertThat(a.usedBytes()).isZero();
            assertThat(a.fileCount()).isEqualTo(1); // the folder the volume is seen at
        }
    }

    @Test
    void aVolumeIsClosedWhenTheLastHolderLetsGo() throws IOException {
        List<Snapshot.Entry> first = files("first-" + System.nanoTime());
        VirtualFileSystem holder = root();
        holder.attachShared("/lib", first);
        FileSystem fs = sharedFs(holder);
        // more other volumes than are kept: the first is no longer kept, but still held
        List<VirtualFileSystem> others = new ArrayList<>();
        for (int i = 0; i <= SharedVolume.KEPT; i++) {
            VirtualFileSystem v = root();
            v.attachShared("/lib", files("other-" + i + "-" + System.nanoTime()));
            others.add(v);
        }
        assertThat(fs.isOpen()).isTrue();
        assertThat(Files.readString(holder.resolve("/lib/f0.txt"))).startsWith("first-");
        holder.close();
        holder.close(); // a second close lets go of nothing more
        assertThat(fs.isOpen()).isFalse();
        // the kept ones stay open after their filesystems close
        FileSystem kept = sharedFs(others.get(others.size() - 1));
        for (VirtualFileSystem v : others) {
            v.close();
        }
        assertThat(kept.isOpen()).isTrue();
        assertThat(SharedVolume.kept()).isEqualTo(SharedVolume.KEPT);
    }

    @Test
    void badFoldersAndEntriesAreRefused(@TempDir Path host) throws IOException {
        Files.createDirectories(host.resolve("data"));
        try (VirtualFileSystem vfs =
                VirtualFileSystem.createRoot(
                        List.of(new Mount(host, "/lib/data", Mount.Mode.READ_ONLY)),
                        Limits.defaults())) {
            assertThatThrownBy(() -> vfs.attachShared("/lib", files("x")))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("overlaps /lib/data");
            for (String bad : List.of("/", "lib", "/a/../lib", "/lib/", "/a//b")) {
                assertThatThrownBy(() -> vfs.attachShared(bad, List.of()))
                        .isInstanceOf(IOException.class);
            }
            assertThatThrownBy(
                            () ->
                                    vfs.attachShared(
                                            "/other",
                                            List.of(new Snapshot.Entry("/lib/x", new byte[0]))))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("not a clean path under /other");
            assertThatThrownBy(
                            () ->
                                    vfs.attachShared(
                                            "/other",
                                            List.of(
                                                    new Snapshot.Entry(
                                                            "/other/../x", new byte[0]))))
                    .isInstanceOf(IOException.class);
            assertThat(vfs.size()).isEqualTo(1);
        }
    }
}
