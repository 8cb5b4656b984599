package dev.airlock.core.hostile;

import static dev.airlock.core.hostile.Hostile.ENOTCAPABLE;
import static dev.airlock.core.hostile.Hostile.EROFS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.GuestInstance;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.Limits;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Snapshot;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.testing.Guests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guests that try to change, or learn about other instances through, a shared folder ({@link
 * InstanceSetup.Builder#sharedFolder}): one in-memory copy of {@code /lib} read by every instance.
 * Each change fails with {@code EROFS} as a denial of rule {@code fs.read-only}, whether through
 * the shared volume's own descriptor (4) or through the root's (3) at the place it is seen; other
 * instances read the files unchanged; the files' times never move whatever another instance does.
 */
class SharedFolderTest {
    private static final long RW_RIGHTS = Hostile.RIGHT_FD_READ | Hostile.RIGHT_FD_WRITE;
    private static final byte[] A = "original-a".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "original-b".getBytes(StandardCharsets.UTF_8);

    /** 2000-01-01T00:00:00Z in nanoseconds: the time of every entry of a shared volume. */
    private static final long SHARED_TIME = 946_684_800_000_000_000L;

    private static InstanceSetup setup() {
        return InstanceSetup.builder()
                .singleRoot(true)
                .sharedFolder("/lib")
                .file("/lib/a.txt", A)
                .file("/lib/sub/b.txt", B)
                .directory("/lib/empty")
                .directory("/work")
                .build();
    }

    private record Run(Outcome outcome, String stdout) {}

    private static Run call(GuestInstance g) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Outcome o = g.call("_start", Stdio.of(out, new ByteArrayOutputStream())).outcome();
        return new Run(o, out.toString(StandardCharsets.UTF_8));
    }

    private static GuestInstance start(byte[] wasm, Policy policy) throws ModuleRejectedException {
        return Guests.AIRLOCK.instantiate(Guests.AIRLOCK.load(wasm), policy, setup());
    }

    /** Reads both files through a fresh instance: what any other instance would see. */
    private static String readBack() throws ModuleRejectedException {
        Script s = new Script().read(4, "a.txt").read(4, "sub/b.txt").read(3, "lib/a.txt");
        try (GuestInstance g = start(s.build(), Policy.defaults())) {
            return call(g).stdout();
        }
    }

    private static void assertDenials(Outcome o, List<String> calls) {
        assertThat(o.denials()).containsExactlyElementsOf(Hostile.readOnlyDenials(calls));
    }

    @Test
    void changingTheSharedFilesIsRefused() throws ModuleRejectedException {
        Script s =
                new Script()
                        .open(4, 0, "a.txt", Hostile.O_TRUNC, Hostile.RIGHT_FD_READ, 0, 0)
                        .open(4, 0, "a.txt", 0, RW_RIGHTS, 0, 0)
                        .open(4, 0, "a.txt", 0, Hostile.RIGHT_FD_READ, 0, Hostile.FDFLAG_APPEND)
                        .open(4, 0, "new.txt", Hostile.O_CREAT, RW_RIGHTS, 0, 0)
                        .unlink(4, "a.txt")
                        .rename(4, "a.txt", 4, "c.txt")
                        .mkdir(4, "d")
                        .rmdir(4, "empty")
                        .symlink("a.txt", 4, "ln")
                        .link(4, "a.txt", 4, "hl")
                        // out of the shared volume into the guest's own root, and into it
                        .rename(4, "a.txt", 3, "work/a.txt")
                        .rename(3, "work", 4, "work")
                        .call(
                                "(call $path_filestat_set_times (i32.const 4) (i32.const 0)"
                                        + " (i32.const 1024) (i32.const 5) (i64.const 0)"
                                        + " (i64.const 0) (i32.const 5))")
                        .read(4, "a.txt");
        try (GuestInstance g = start(s.build(), Policy.defaults())) {
            Run r = call(g);
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
                                    EROFS,
                                    EROFS,
                                    EROFS,
                                    0,
                                    "original-a"));
            assertDenials(
                    r.outcome(),
                    List.of(
                            "path_open",
                            "path_open",
                            "path_open",
                            "path_open",
                            "path_unlink_file",
                            "path_rename",
                            "path_create_directory",
                            "path_remove_directory",
                            "path_symlink",
                            "path_link",
                            "path_rename",
                            "path_rename",
                            "path_filestat_set_times"));
        }
        assertThat(readBack()).isEqualTo(Script.lines(0, "original-a", 0, "original-b", 44));
    }

    @Test
    void anOpenSharedFileCannotBeChanged() throws ModuleRejectedException {
        Script s =
                new Script()
                        .read(4, "a.txt")
                        .call(
                                "(call $fd_write (i32.load (i32.const 48)) (i32.const 32)"
                                        + " (i32.const 1) (i32.const 40))")
                        .call(
                                "(call $fd_pwrite (i32.load (i32.const 48)) (i32.const 32)"
                                        + " (i32.const 1) (i64.const 0) (i32.const 40))")
                        .call(
                                "(call $fd_filestat_set_size (i32.load (i32.const 48))"
                                        + " (i64.const 0))")
                        .call(
                                "(call $fd_allocate (i32.load (i32.const 48)) (i64.const 0)"
                                        + " (i64.const 100000))")
                        .call(
                                "(call $fd_filestat_set_times (i32.load (i32.const 48))"
                                        + " (i64.const 0) (i64.const 0) (i32.const 5))")
                        // the shared volume's root moved onto the root's number stays read-only
                        .call("(call $fd_renumber (i32.const 4) (i32.const 3))")
                        .unlink(3, "sub/b.txt")
                        .read(3, "sub/b.txt");
        try (GuestInstance g = start(s.build(), Policy.defaults())) {
            Run r = call(g);
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
                                    0,
                                    EROFS,
                                    0,
                                    "original-b"));
            assertDenials(
                    r.outcome(),
                    List.of(
                            "fd_filestat_set_size",
                            "fd_allocate",
                            "fd_filestat_set_times",
                            "path_unlink_file"));
        }
        assertThat(readBack()).isEqualTo(Script.lines(0, "original-a", 0, "original-b", 44));
    }

    @Test
    void thePlaceInTheRootIsReadOnlyToo() throws ModuleRejectedException {
        // through the root's descriptor the guest reaches the folder the volume is seen at
        Script s =
                new Script()
                        .open(3, 0, "lib/x.txt", Hostile.O_CREAT, RW_RIGHTS, 0, 0)
                        .mkdir(3, "lib/d")
                        .rmdir(3, "lib")
                        .rename(3, "lib", 3, "lib2")
                        .symlink("/work", 3, "lib/ln")
                        .write(3, "work/ok.txt", "ok");
        try (GuestInstance g = start(s.build(), Policy.defaults())) {
            Run r = call(g);
            assertThat(r.outcome().status()).isEqualTo(Status.OK);
            assertThat(r.stdout())
                    .isEqualTo(Script.lines(EROFS, EROFS, EROFS, EROFS, EROFS, 0, 0, 0));
            assertDenials(
                    r.outcome(),
                    List.of(
                            "path_open",
                            "path_create_directory",
                            "path_remove_directory",
                            "path_rename",
                            "path_symlink"));
            // and a snapshot holds the shared files, never what the root has at that place
            Snapshot snap = g.snapshot();
            assertThat(snap.files().stream().map(Snapshot.Entry::path))
                    .contains("/lib", "/lib/a.txt", "/lib/sub/b.txt", "/work/ok.txt")
                    .doesNotContain("/lib/x.txt", "/lib/d");
        }
    }

    @Test
    void aRestoreAddsSeededFilesTheSnapshotHasNot() throws Exception {
        Script s = new Script().read(4, "a.txt").read(4, "extra.txt").read(3, "work/new.txt");
        byte[] wasm = s.build();
        Snapshot snap;
        try (GuestInstance g = start(wasm, Policy.defaults())) {
            snap = g.snapshot();
        }
        InstanceSetup more =
                InstanceSetup.builder()
                        .singleRoot(true)
                        .sharedFolder("/lib")
                        .file("/lib/a.txt", "changed".getBytes(StandardCharsets.UTF_8))
                        .file("/lib/extra.txt", "extra".getBytes(StandardCharsets.UTF_8))
                        .file("/work/new.txt", "new".getBytes(StandardCharsets.UTF_8))
                        .build();
        try (GuestInstance r =
                Guests.AIRLOCK.restore(snap, Guests.AIRLOCK.load(wasm), Policy.defaults(), more)) {
            Run run = call(r);
            // the snapshot's a.txt wins; the others are added, extra.txt into the shared folder
            assertThat(run.stdout()).isEqualTo(Script.lines(0, "original-a", 0, "extra", 0, "new"));
            assertThatThrownBy(() -> r.writeFile("/lib/extra.txt", new byte[1]))
                    .isInstanceOf(IOException.class);
        }
        assertThat(readBack()).isEqualTo(Script.lines(0, "original-a", 0, "original-b", 44));
    }

    @Test
    void lookingForMissingFilesIsNoDenial() throws ModuleRejectedException {
        // as an interpreter looks for modules along its path: a plain ENOENT, nothing audited
        Script s =
                new Script()
                        .read(4, "missing.txt")
                        .read(4, "missing/deeper.txt")
                        .read(3, "lib/missing.txt");
        try (GuestInstance g = start(s.build(), Policy.defaults())) {
            Run r = call(g);
            assertThat(r.stdout()).isEqualTo(Script.lines(44, 44, 44));
            assertThat(r.outcome().denials()).isEmpty();
        }
    }

    @Test
    void timesNeverMoveWhateverAnotherInstanceDoes() throws ModuleRejectedException {
        // path_filestat_get of a.txt at 2048: atim at +40, mtim at +48, ctim at +56
        Script stat =
                new Script()
                        .importing(
                                "(import \"wasi_snapshot_preview1\" \"path_filestat_get\""
                                        + " (func $path_filestat_get"
                                        + " (param i32 i32 i32 i32 i32) (result i32)))");
        stat.str("a.txt");
        stat.raw(
                "(call $say (call $path_filestat_get (i32.const 4) (i32.const 0) (i32.const 1024)"
                        + " (i32.const 5) (i32.const 2048)))\n"
                        + "(call $say64 (i64.load (i32.const 2088)))\n"
                        + "(call $say64 (i64.load (i32.const 2096)))\n"
                        + "(call $say64 (i64.load (i32.const 2104)))");
        Script reader = new Script();
        for (int i = 0; i < 5; i++) {
            reader.read(4, "a.txt");
        }
        reader.open(4, 0, "a.txt", 0, RW_RIGHTS, 0, 0);
        String expected = Script.lines(0, SHARED_TIME, SHARED_TIME, SHARED_TIME);
        try (GuestInstance a = start(stat.build(), Policy.defaults())) {
            assertThat(call(a).stdout()).isEqualTo(expected);
            try (GuestInstance b = start(reader.build(), Policy.defaults())) {
                assertThat(call(b).outcome().status()).isEqualTo(Status.OK);
            }
            assertThat(call(a).stdout()).isEqualTo(expected);
        }
    }

    @Test
    void sharedFilesCountTowardsNoQuotaAndTheHostCannotWriteThem() throws Exception {
        byte[] big = new byte[1 << 20];
        InstanceSetup setup =
                InstanceSetup.builder()
                        .singleRoot(true)
                        .sharedFolder("/lib")
                        .file("/lib/big.bin", big)
                        .build();
        Policy policy =
                Policy.builder().limits(Limits.builder().fsQuotaBytes(64 * 1024).build()).build();
        // a 1 MiB shared file under a 64 KiB quota; 16 KiB of the guest's own still fit, 80 more
        // do not
        Script s = new Script().fill(3, "small.bin", 16 * 1024).fill(3, "large.bin", 65536);
        try (GuestInstance g =
                Guests.AIRLOCK.instantiate(Guests.AIRLOCK.load(s.build()), policy, setup)) {
            Run r = call(g);
            assertThat(r.stdout()).startsWith(Script.lines(0, 0, 0));
            assertThat(r.outcome().status()).isEqualTo(Status.LIMIT);
            assertThatThrownBy(() -> g.writeFile("/lib/big.bin", new byte[1]))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> g.writeFile("/lib/new.bin", new byte[1]))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("read-only");
            assertThat(g.readFile("/lib/big.bin")).isEqualTo(big);
        }
    }
}
