package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A guest changes a read-write mount: its changes reach the host folder after a run that ended by
 * itself (OK or EXIT), and none of them after a trap or a limit.
 */
class ReadWriteMountTest {
    @TempDir Path host;
    @TempDir Path other;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(host.resolve("keep.txt"), "keep");
        Files.writeString(host.resolve("modify.txt"), "old content");
        Files.writeString(host.resolve("delete.txt"), "bye");
        Files.createDirectory(host.resolve("sub"));
        Files.writeString(host.resolve("sub/deep.txt"), "deep");
        Files.createDirectory(host.resolve("emptydir"));
    }

    /** Creates, modifies, deletes, renames and makes directories, then ends as {@code end}. */
    private static byte[] changes(String end) {
        return new Script()
                .write(3, "new.txt", "new content")
                .write(3, "modify.txt", "new")
                .unlink(3, "delete.txt")
                .mkdir(3, "newdir")
                .write(3, "newdir/f.txt", "f")
                .rename(3, "sub/deep.txt", 3, "sub/renamed.txt")
                .rmdir(3, "emptydir")
                .raw(end)
                .build();
    }

    private static final String CHANGES_OUTPUT =
            Script.lines(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private Map<String, String> changed() {
        Map<String, String> m = new TreeMap<>();
        m.put("/", "");
        m.put("keep.txt", "keep");
        m.put("modify.txt", "new");
        m.put("new.txt", "new content");
        m.put("newdir/", "");
        m.put("newdir/f.txt", "f");
        m.put("sub/", "");
        m.put("sub/renamed.txt", "deep");
        return m;
    }

    private Policy policy() {
        return Policy.builder()
                .mount(new Mount(host, "/work", Mount.Mode.READ_WRITE))
                .limits(Limits.builder().maxOutputBytes(200).build())
                .build();
    }

    @Test
    void changesAppearAfterAnOkRun() {
        Hostile.Result r = Hostile.run(changes(""), policy());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout()).isEqualTo(CHANGES_OUTPUT);
        assertThat(Hostile.snapshot(host)).isEqualTo(changed());
    }

    @Test
    void changesAppearAfterANonZeroExit() {
        Hostile.Result r = Hostile.run(changes("(call $proc_exit (i32.const 3))"), policy());
        assertThat(r.outcome().status()).isEqualTo(Status.EXIT);
        assertThat(r.outcome().exitCode()).isEqualTo(3);
        assertThat(Hostile.snapshot(host)).isEqualTo(changed());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"trap", "stack", "output"})
    void nothingChangesAfterATrapOrALimit(String ending) {
        Map<String, String> before = Hostile.snapshot(host);
        String end =
                switch (ending) {
                    case "trap" -> "unreachable";
                    case "stack" -> "(call $recurse)";
                    default -> "(call $print (i32.const 0) (i32.const 1000))";
                };
        byte[] wasm =
                new Script()
                        .write(3, "new.txt", "new content")
                        .write(3, "modify.txt", "new")
                        .unlink(3, "delete.txt")
                        .mkdir(3, "newdir")
                        .raw(end)
                        .define("(func $recurse (call $recurse))")
                        .build();
        Hostile.Result r = Hostile.run(wasm, policy());
        assertThat(r.stdout()).startsWith(Script.lines(0, 0, 0, 0, 0, 0, 0, 0));
        switch (ending) {
            case "trap" -> {
                assertThat(r.outcome().status()).isEqualTo(Status.TRAP);
                assertThat(r.outcome().kind()).isEqualTo("unreachable");
            }
            case "stack" -> {
                assertThat(r.outcome().status()).isEqualTo(Status.LIMIT);
                assertThat(r.outcome().kind()).isEqualTo("stack");
            }
            default -> {
                assertThat(r.outcome().status()).isEqualTo(Status.LIMIT);
                assertThat(r.outcome().kind()).isEqualTo("output");
            }
        }
        assertThat(Hostile.snapshot(host)).isEqualTo(before);
    }

    @Test
    void aSecondRunSeesTheFirstRunsChanges() {
        assertThat(Hostile.run(changes(""), policy()).outcome().status()).isEqualTo(Status.OK);
        Hostile.Result r =
                Hostile.run(
                        new Script()
                                .read(3, "new.txt")
                                .read(3, "modify.txt")
                                .read(3, "delete.txt")
                                .build(),
                        policy());
        assertThat(r.stdout()).isEqualTo(Script.lines(0, "new content", 0, "new", Hostile.ENOENT));
    }

    @Test
    void hardLinksAcrossMountsFailWithExdev() throws IOException {
        Files.writeString(other.resolve("o.txt"), "other");
        Map<String, String> otherBefore = Hostile.snapshot(other);
        Hostile.Result r =
                Hostile.run(
                        new Script()
                                .link(3, "keep.txt", 4, "hl.txt")
                                .link(4, "o.txt", 3, "hl.txt")
                                // within one mount a hard link works
                                .link(3, "keep.txt", 3, "hl.txt")
                                .read(3, "hl.txt")
                                .build(),
                        Policy.builder()
                                .mount(new Mount(host, "/work", Mount.Mode.READ_WRITE))
                                .mount(new Mount(other, "/other", Mount.Mode.READ_WRITE))
                                .build());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout()).isEqualTo(Script.lines(75, 75, 0, 0, "keep"));
        assertThat(Files.readString(host.resolve("hl.txt"))).isEqualTo("keep");
        assertThat(Hostile.snapshot(other)).isEqualTo(otherBefore);
    }

    @Test
    void renamesAcrossMountsFailWithExdev() throws IOException {
        Files.writeString(other.resolve("o.txt"), "other");
        Map<String, String> hostBefore = Hostile.snapshot(host);
        Map<String, String> otherBefore = Hostile.snapshot(other);
        Hostile.Result r =
                Hostile.run(
                        new Script()
                                .rename(3, "keep.txt", 4, "moved.txt")
                                .rename(4, "o.txt", 3, "moved.txt")
                                .build(),
                        Policy.builder()
                                .mount(new Mount(host, "/work", Mount.Mode.READ_WRITE))
                                .mount(new Mount(other, "/other", Mount.Mode.READ_WRITE))
                                .build());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout()).isEqualTo(Script.lines(75, 75));
        assertThat(Hostile.snapshot(host)).isEqualTo(hostBefore);
        assertThat(Hostile.snapshot(other)).isEqualTo(otherBefore);
    }
}
