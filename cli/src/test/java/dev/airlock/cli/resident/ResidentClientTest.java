package dev.airlock.cli.resident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code airlock-client} (cli/src/main/c), built with the machine's C compiler, against a resident
 * process: it relays output, errors and status, runs the command line itself where it should, and
 * never talks to a socket in a folder another user could have made.
 */
class ResidentClientTest {
    @TempDir Path tmp;
    Path client;
    Path cwd;
    ResidentHarness r;

    @BeforeEach
    void build() throws Exception {
        assumeTrue(onPath("cc"), "no C compiler (cc) on this machine");
        client = tmp.resolve("airlock-client");
        Process cc =
                new ProcessBuilder(
                                "cc",
                                "-O2",
                                "-Wall",
                                "-Werror",
                                "-o",
                                client.toString(),
                                Path.of("src/main/c/airlock-client.c").toAbsolutePath().toString())
                        .redirectErrorStream(true)
                        .start();
        String log = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cc.waitFor()).as(log).isZero();
        cwd = Files.createDirectory(tmp.resolve("work"));
        Files.writeString(cwd.resolve("guest.wat"), ResidentServerTest.OUT_ERR_EXIT_7);
        r = new ResidentHarness(tmp, 2);
    }

    @AfterEach
    void stop() throws Exception {
        if (r != null) {
            r.close();
        }
    }

    record Ran(int code, String out, String err) {}

    /** Runs the client for {@code args}, its fallback a shell that says so and exits 99. */
    Ran client(Path socket, String... args) throws Exception {
        Process p = start(socket, args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), out, err);
    }

    private Process start(Path socket, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(client.toString(), socket.toString(), "4"));
        command.addAll(List.of("sh", "-c", "echo fell back: \"$@\"; exit 99", "sh"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().put("AIRLOCK_DATA", tmp.resolve("data").toString());
        pb.environment().put("AIRLOCK_CACHE_DIR", tmp.resolve("cache").toString());
        return pb.start();
    }

    @Test
    void relaysOutputErrorsAndStatus() throws Exception {
        Ran ran = client(r.socket, "run", "guest.wat");
        assertThat(ran.out()).isEqualTo("to out\n");
        assertThat(ran.err()).isEqualTo("to err\n");
        assertThat(ran.code()).isEqualTo(7);
    }

    @Test
    void runsWhatTheResidentLeavesToItInAProcessOfItsOwn() throws Exception {
        Ran ran = client(r.socket, "inspect", "guest.wat");
        assertThat(ran.out()).isEqualTo("fell back: inspect guest.wat\n");
        assertThat(ran.code()).isEqualTo(99);
    }

    @Test
    void runsItselfWhenItsUmaskIsNotTheResidentProcesss() throws Exception {
        int other = ResidentServer.ownUmask() ^ 077;
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "sh",
                                "-c",
                                "umask " + Integer.toOctalString(other) + "; exec \"$@\"",
                                "sh",
                                client.toString(),
                                r.socket.toString(),
                                "4"));
        command.addAll(List.of("sh", "-c", "echo fell back: $(umask)", "sh", "run", "guest.wat"));
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEqualTo(String.format("fell back: %04o%n", other));
        assertThat(client(r.socket, "run", "guest.wat").code()).isEqualTo(7);
    }

    @Test
    void neverUsesASocketInAFolderOthersMayEnter() throws Exception {
        Files.setPosixFilePermissions(
                r.socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Ran ran = client(r.socket, "run", "guest.wat");
        assertThat(ran.out()).isEqualTo("fell back: run guest.wat\n");
        assertThat(r.ask(cwd, java.util.Map.of(), "run", "--no-store", "guest.wat").code())
                .isEqualTo(7);
    }

    @Test
    void removesAStaleSocketAndRunsItself() throws Exception {
        Path dir = ResidentHarness.privateFolder(tmp.resolve("stale"));
        Path stale = dir.resolve("gone.sock");
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(stale)); // closed without removing its file
        }
        assertThat(stale).exists();
        Ran ran = client(stale, "run", "guest.wat");
        assertThat(ran.out()).isEqualTo("fell back: run guest.wat\n");
        assertThat(stale).doesNotExist();
    }

    @Test
    void aClientKilledByASignalStopsItsRun() throws Exception {
        Files.writeString(cwd.resolve("spin.wat"), ResidentServerTest.SPIN);
        Process p = start(r.socket, "run", "--timeout", "10m", "spin.wat");
        awaitActive(1);
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        awaitActive(0);
    }

    private void awaitActive(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (r.server.active() != n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(r.server.active()).isEqualTo(n);
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
