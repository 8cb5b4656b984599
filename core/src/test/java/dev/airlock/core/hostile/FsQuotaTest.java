package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.event.LifecycleEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guests that fill the virtual filesystem: past {@link Limits#fsQuotaBytes()} with data, past
 * {@link Limits#fsQuotaFiles()} with files, directories and links. Each run ends as an fs-quota
 * limit at the call that crossed it, and nothing reaches the host folder.
 */
class FsQuotaTest {
    private static final long QUOTA_BYTES = 64 << 10;
    private static final int QUOTA_FILES = 5;

    @TempDir Path host;
    @TempDir Path host2;
    private Map<String, String> before;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(host.resolve("existing.txt"), "existing");
        before = Hostile.snapshot(host);
    }

    private Policy policy() {
        return Policy.builder()
                .mount(new Mount(host, "/", Mount.Mode.READ_WRITE))
                .limits(
                        Limits.builder()
                                .fsQuotaBytes(QUOTA_BYTES)
                                .fsQuotaFiles(QUOTA_FILES)
                                .build())
                .build();
    }

    private static void assertQuota(Hostile.Result r, String message) {
        Outcome o = r.outcome();
        assertThat(o.status()).as("%s", o).isEqualTo(Status.LIMIT);
        assertThat(o.kind()).isEqualTo("fs-quota");
        assertThat(o.limitKind()).isEqualTo(LimitKind.FS_QUOTA);
        assertThat(o.message()).isEqualTo(message);
        assertThat(r.lifecycle())
                .containsExactly(
                        LifecycleEvent.Type.MODULE_ACCEPTED,
                        LifecycleEvent.Type.INSTANCE_STARTED,
                        LifecycleEvent.Type.LIMIT_HIT,
                        LifecycleEvent.Type.OUTCOME);
    }

    private static String bytesMessage(long used) {
        return "limit exceeded: fs-quota (64KiB of files; " + used + " bytes in use)";
    }

    private static final String FILES_MESSAGE = "limit exceeded: fs-quota (5 files; 6 in use)";

    @Test
    void writingPastTheByteQuota() {
        // 4 KiB per fd_write, forever; existing.txt already holds one 4 KiB block
        Hostile.Result r =
                Hostile.run(
                        new Script()
                                .raw(
                                        """
                                        (call $say (call $path_open (i32.const 3) (i32.const 0)
                                                   (i32.const 2000) (i32.const 7) (i32.const 1)
                                                   (i64.const 64) (i64.const 0) (i32.const 0)
                                                   (i32.const 48)))
                                        (i32.store (i32.const 32) (i32.const 8192))
                                        (i32.store (i32.const 36) (i32.const 4096))
                                        (loop $forever
                                          (drop (call $fd_write (i32.load (i32.const 48))
                                                                (i32.const 32) (i32.const 1)
                                                                (i32.const 40)))
                                          (br $forever))
                                        """)
                                .define("(data (i32.const 2000) \"big.bin\")")
                                .build(),
                        policy());
        // 1 block for existing.txt + 15 written = 64 KiB, within the quota; the 16th write
        // crosses it
        assertQuota(r, bytesMessage(17 * 4096));
        assertThat(r.stdout()).isEqualTo("0\n");
        assertThat(r.outcome().usage().hostCalls()).isEqualTo(1 + 1 + 16);
        assertThat(r.hostCalls().get(17).result()).isNull();
        assertThat(Hostile.snapshot(host)).isEqualTo(before);
    }

    @Test
    void oneHugeWriteIsStoppedByTheCheckAfterIt() {
        // a.bin takes one block, then one fd_write of all 64 KiB of memory into b.bin
        Hostile.Result r =
                Hostile.run(
                        new Script().write(3, "a.bin", "a").fill(3, "b.bin", 65536).build(),
                        policy());
        // existing.txt 1 block, a.bin 1 block, b.bin 16 blocks
        assertQuota(r, bytesMessage(18 * 4096));
        assertThat(r.stdout()).isEqualTo(Script.lines(0, 0, 0, 0));
        assertThat(Hostile.snapshot(host)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"set_size", "pwrite", "allocate"})
    void growingAFileWithoutWritingItsBytes(String how) {
        String grow =
                switch (how) {
                    case "set_size" ->
                            "(call $fd_filestat_set_size (i32.load (i32.const 48)) (i64.const"
                                    + " 102400))";
                    case "pwrite" ->
                            "(call $fd_pwrite (i32.load (i32.const 48)) (i32.const 32) (i32.const"
                                    + " 1) (i64.const 102400) (i32.const 40))";
                    default ->
                            "(call $fd_allocate (i32.load (i32.const 48)) (i64.const 0)"
                                    + " (i64.const 102400))";
                };
        Hostile.Result r =
                Hostile.run(
                        new Script()
                                .open(3, 0, "sparse", Hostile.O_CREAT, Hostile.RIGHTS_ALL, 0, 0)
                                .raw(
                                        """
                                        (i32.store (i32.const 32) (i32.const 8192))
                                        (i32.store (i32.const 36) (i32.const 1))
                                        """)
                                .call(grow)
                                .build(),
                        policy());
        // 100 KiB (+1 byte for pwrite) in 4 KiB blocks, plus existing.txt
        long blocks = how.equals("pwrite") ? 26 : 25;
        assertQuota(r, bytesMessage((blocks + 1) * 4096));
        assertThat(Hostile.snapshot(host)).isEqualTo(before);
    }

    @Test
    void theByteQuotaCoversEveryMountTogether() throws IOException {
        Policy p =
                Policy.builder()
                        .mount(new Mount(host, "/a", Mount.Mode.READ_WRITE))
                        .mount(new Mount(host2, "/b", Mount.Mode.READ_WRITE))
                        .limits(Limits.builder().fsQuotaBytes(QUOTA_BYTES).build())
                        .build();
        Map<String, String> before2 = Hostile.snapshot(host2);
        Hostile.Result r =
                Hostile.run(
                        new Script()
                                .fill(3, "half.bin", 40 << 10)
                                .fill(4, "half.bin", 40 << 10)
                                .build(),
                        p);
        // existing.txt 1 block + 2 × 10 blocks
        assertQuota(r, bytesMessage(21 * 4096));
        assertThat(r.stdout()).isEqualTo(Script.lines(0, 0, 0, 0));
        assertThat(Hostile.snapshot(host)).isEqualTo(before);
        assertThat(Hostile.snapshot(host2)).isEqualTo(before2);
    }

    @Test
    void creatingTooManyFiles() {
        // two-letter names: the file count must not depend on the length of the name
        Script s = new Script();
        for (String name : new String[] {"f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7"}) {
            s.write(3, name, "x");
        }
        Hostile.Result r = Hostile.run(s.build(), policy());
        // existing.txt + 4 new files = 5; the 5th new file is the 6th entry
        assertQuota(r, FILES_MESSAGE);
        assertThat(r.stdout()).isEqualTo(Script.lines(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(Hostile.snapshot(host)).isEqualTo(before);
    }

    @Test
    void creatingFilesWithPathOpenAloneAndNoRights() {
        // O_CREAT with no rights at all still makes a file
        Script s = new Script();
        for (String name : new String[] {"abcd", "efgh", "ijkl", "mnop", "qrst", "uvwx"}) {
            s.call(
                    "(call $path_open (i32.const 3) (i32.const 0) (i32.const "
                            + s.str(name).ptr()
                            + ") (i32.const 4) (i32.const 1) (i64.const 0) (i64.const 0)"
                            + " (i32.const 0) (i32.const 48))");
        }
        Hostile.Result r = Hostile.run(s.build(), policy());
        assertQuota(r, FILES_MESSAGE);
        assertThat(r.stdout()).isEqualTo(Script.lines(0, 0, 0, 0));
        assertThat(Hostile.snapshot(host)).isEqualTo(before);
    }

    @Test
    void creatingTooManyDirectories() {
        Script s = new Script();
        for (int i = 0; i < 8; i++) {
            s.mkdir(3, "d" + i);
        }
        Hostile.Result r = Hostile.run(s.build(), policy());
        assertQuota(r, FILES_MESSAGE);
        assertThat(r.stdout()).isEqualTo(Script.lines(0, 0, 0, 0));
        assertThat(Hostile.snapshot(host)).isEqualTo(before);
    }

    @Test
    void creatingTooManySymbolicLinks() {
        Script s = new Script();
        for (int i = 0; i < 8; i++) {
            s.symlink("existing.txt", 3, "s" + i);
        }
        Hostile.Result r = Hostile.run(s.build(), policy());
        assertQuota(r, FILES_MESSAGE);
        assertThat(r.stdout()).isEqualTo(Script.lines(0, 0, 0, 0));
    }

    @Test
    void creatingTooManyHardLinks() {
        Script s = new Script();
        for (int i = 0; i < 8; i++) {
            s.link(3, "existing.txt", 3, "h" + i);
        }
        Hostile.Result r = Hostile.run(s.build(), policy());
        assertQuota(r, FILES_MESSAGE);
        assertThat(r.stdout()).isEqualTo(Script.lines(0, 0, 0, 0));
        assertThat(Hostile.snapshot(host)).isEqualTo(before);
    }

    @Test
    void mountsAboveTheQuotaStopTheRunBeforeTheGuestRuns() throws IOException {
        for (int i = 0; i < 5; i++) {
            Files.writeString(host.resolve("more" + i + ".txt"), "more");
        }
        Map<String, String> full = Hostile.snapshot(host);
        Hostile.Result r = Hostile.run(Guests.hello(), policy());
        assertThat(r.outcome().status()).isEqualTo(Status.LIMIT);
        assertThat(r.outcome().kind()).isEqualTo("fs-quota");
        assertThat(r.outcome().message()).isEqualTo(FILES_MESSAGE);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.outcome().usage().hostCalls()).isZero();
        assertThat(r.lifecycle())
                .containsExactly(
                        LifecycleEvent.Type.MODULE_ACCEPTED,
                        LifecycleEvent.Type.LIMIT_HIT,
                        LifecycleEvent.Type.OUTCOME);
        assertThat(Hostile.snapshot(host)).isEqualTo(full);
    }

    @Test
    void withinTheQuotaEverythingIsKept() {
        Hostile.Result r =
                Hostile.run(
                        new Script()
                                .write(3, "a.txt", "a")
                                .write(3, "b.txt", "b")
                                .mkdir(3, "c")
                                .fill(3, "c/d.bin", 50 << 10)
                                .build(),
                        policy());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(Hostile.snapshot(host)).containsKeys("a.txt", "b.txt", "c/", "c/d.bin");
    }

    /** A guest that only prints. */
    private static final class Guests {
        static byte[] hello() {
            return dev.airlock.core.testing.Guests.wat(
                    dev.airlock.core.testing.Guests.helloWat("ran\n"));
        }
    }
}
