package dev.airlock.components;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Airlock;
import dev.airlock.core.ClockMode;
import dev.airlock.core.Denial;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.HostCallEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A C program made a WASI 0.2 component by jco's preview 1 adapter ({@code wasi/probe.c}, rebuilt
 * by {@code wasi/build.sh}): its core modules are linked into one guest and every WASI 0.2 call is
 * served by Airlock's host under the policy.
 */
class ComponentWasiTest {
    static final Airlock AIRLOCK = Airlock.create();

    record Ran(Outcome outcome, String stdout, String stderr, List<String> calls) {}

    static Ran run(Policy policy) throws Exception {
        Component c = Component.load(ComponentWorldTest.resource("wasi/probe.wasm"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> calls = new ArrayList<>();
        try (ComponentInstance ci =
                ComponentInstance.create(
                        AIRLOCK,
                        c,
                        policy,
                        (Event e) -> {
                            if (e instanceof HostCallEvent h) {
                                calls.add(h.call());
                            }
                        })) {
            Outcome o = ci.runCommand(Stdio.of(out, err));
            return new Ran(
                    o,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8),
                    calls);
        }
    }

    static Policy.Builder files(Path dir, String mode) {
        return Policy.builder().args("files", "/data").mount(Mount.parse(dir + ":/data:" + mode));
    }

    @Test
    void argumentsEnvironmentStreamsClocksRandomAndFiles(@TempDir Path dir) throws Exception {
        Ran r =
                run(
                        files(dir, "rw")
                                .env("GREETING", "hi")
                                .stdin("a line\n".getBytes(StandardCharsets.UTF_8))
                                .clock(ClockMode.FROZEN)
                                .random(RandomMode.seeded(1))
                                .build());
        assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
        assertThat(r.stdout().lines().toList())
                .containsExactly(
                        "args: files /data",
                        "GREETING=hi",
                        "stdin: a line",
                        "realtime 946684800",
                        "monotonic ok",
                        r.stdout().lines().toList().get(5),
                        "size 23",
                        "read back: written by a component",
                        "entry moved.txt",
                        "reading a folder: Bad file descriptor",
                        "files ok",
                        "/etc/passwd: No such file or directory");
        assertThat(r.stdout().lines().toList().get(5)).matches("random( [0-9a-f]{2}){8}");
        assertThat(r.stderr()).isEqualTo("a line on stderr\n");
        // the program removed what it made
        try (var s = Files.list(dir)) {
            assertThat(s).isEmpty();
        }
        assertThat(r.outcome().denials()).isEmpty();
    }

    @Test
    void seededRandomAndFrozenClockGiveTheSameRunTwice(@TempDir Path dir) throws Exception {
        Policy p = Policy.builder().clock(ClockMode.FROZEN).random(RandomMode.seeded(9)).build();
        assertThat(run(p).stdout()).isEqualTo(run(p).stdout());
    }

    @Test
    void deterministicRunsUseTheSameFuelEverywhere() throws Exception {
        Policy p =
                Policy.builder()
                        .clock(ClockMode.FROZEN)
                        .random(RandomMode.seeded(3))
                        .limits(Limits.builder().fuel(50_000_000).build())
                        .build();
        Ran a = run(p);
        Ran b = run(p);
        assertThat(a.outcome().status()).as(a.outcome().message()).isEqualTo(Status.OK);
        assertThat(a.outcome().usage().fuel()).isPositive();
        assertThat(b.outcome().usage().fuel()).isEqualTo(a.outcome().usage().fuel());
        assertThat(b.stdout()).isEqualTo(a.stdout());
        Ran starved =
                run(
                        Policy.builder()
                                .limits(
                                        Limits.builder()
                                                .fuel(a.outcome().usage().fuel() / 2)
                                                .build())
                                .build());
        assertThat(starved.outcome().limitKind()).isEqualTo(LimitKind.FUEL);
    }

    @Test
    void everyWasi2CallIsAuditedWithThePreview1CallItMakes(@TempDir Path dir) throws Exception {
        Ran r = run(files(dir, "rw").build());
        assertThat(r.calls())
                .contains(
                        "wasi:cli/stdout@0.2.12.get-stdout",
                        "wasi:io/streams@0.2.12.[method]output-stream.blocking-write-and-flush",
                        "wasi_snapshot_preview1.fd_write",
                        "wasi:filesystem/types@0.2.12.[method]descriptor.open-at",
                        "wasi_snapshot_preview1.path_open",
                        "wasi:random/random@0.2.12.get-random-bytes",
                        "wasi_snapshot_preview1.random_get");
        assertThat(r.outcome().usage().hostCalls()).isGreaterThan(r.calls().size() / 2);
    }

    @Test
    void aFailedReadIsAnErrorWithItsErrno(@TempDir Path dir) throws Exception {
        // a stdin file that cannot be opened fails the read with EIO, which reaches the C
        // program as such (an error resource that filesystem-error-code maps back), not as EOF
        Ran r = run(Policy.builder().stdin(dir.resolve("missing.txt")).build());
        assertThat(r.stdout()).contains("stdin: I/O error\n");
    }

    @Test
    void exitCodeEndsTheRun() throws Exception {
        Ran r = run(Policy.builder().env("EXIT", "3").build());
        // WASI 0.2's exit takes ok or error: the adapter maps every failure code to error
        assertThat(r.outcome().status()).isEqualTo(Status.EXIT);
        assertThat(r.outcome().exitCode()).isEqualTo(1);
    }

    @Test
    void readOnlyMountRefusesWritesAsPreview1Does(@TempDir Path dir) throws Exception {
        Ran r = run(files(dir, "ro").build());
        assertThat(r.stdout()).contains("mkdir: Read-only file system");
        assertThat(r.outcome().exitCode()).isEqualTo(1);
        assertThat(r.outcome().denials()).extracting(Denial::rule).contains("fs.read-only");
        try (var s = Files.list(dir)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void withoutAMountThereAreNoFiles() throws Exception {
        Ran r = run(Policy.builder().args("files", "/data").build());
        assertThat(r.stdout()).contains("mkdir: ");
        assertThat(r.stdout()).doesNotContain("files ok");
        assertThat(r.outcome().exitCode()).isEqualTo(1);
    }

    @Test
    void outputLimitStopsTheComponent() throws Exception {
        Ran r = run(Policy.builder().limits(Limits.builder().maxOutputBytes(16).build()).build());
        assertThat(r.outcome().status()).isEqualTo(Status.LIMIT);
        assertThat(r.outcome().limitKind()).isEqualTo(LimitKind.OUTPUT);
        assertThat(r.stdout().length()).isLessThanOrEqualTo(16);
    }
}
