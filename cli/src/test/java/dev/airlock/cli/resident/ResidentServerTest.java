package dev.airlock.cli.resident;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resident process serves {@code run}, {@code py} and {@code js} as a process of their own
 * would: in the client's folder and environment, with its output, errors and status; it leaves the
 * rest to the client, and stops a run whose client went away.
 */
class ResidentServerTest {
    /** Writes "to out" to stdout, "to err" to stderr, and exits 7. */
    static final String OUT_ERR_EXIT_7 =
            "(module"
                    + " (import \"wasi_snapshot_preview1\" \"fd_write\""
                    + "   (func $w (param i32 i32 i32 i32) (result i32)))"
                    + " (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $exit (param i32)))"
                    + " (memory (export \"memory\") 1)"
                    + " (data (i32.const 16) \"to out\\n\") (data (i32.const 32) \"to err\\n\")"
                    + " (func (export \"_start\")"
                    + "  (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 7))"
                    + "  (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))"
                    + "  (i32.store (i32.const 0) (i32.const 32))"
                    + "  (drop (call $w (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))"
                    + "  (call $exit (i32.const 7))))";

    /** Writes 4 KiB to stdout, again and again. */
    static final String CHATTY =
            "(module"
                    + " (import \"wasi_snapshot_preview1\" \"fd_write\""
                    + "   (func $w (param i32 i32 i32 i32) (result i32)))"
                    + " (memory (export \"memory\") 1)"
                    + " (func (export \"_start\")"
                    + "  (i32.store (i32.const 0) (i32.const 64)) (i32.store (i32.const 4) (i32.const 4096))"
                    + "  (loop $l (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))"
                    + "   (br $l))))";

    static final String SPIN = "(module (func (export \"_start\") (loop $l (br $l))))";

    @TempDir Path tmp;
    Path cwd;
    Map<String, String> env;
    ResidentHarness r;

    @BeforeEach
    void start() throws IOException {
        cwd = Files.createDirectory(tmp.resolve("work"));
        env =
                Map.of(
                        "AIRLOCK_DATA",
                        tmp.resolve("data").toString(),
                        "AIRLOCK_CACHE_DIR",
                        tmp.resolve("cache").toString());
        r = new ResidentHarness(tmp, 2);
    }

    @AfterEach
    void stop() throws Exception {
        r.close();
    }

    @Test
    void runsInTheClientsFolderWithItsOutputErrorsAndStatus() throws IOException {
        Files.writeString(cwd.resolve("guest.wat"), OUT_ERR_EXIT_7);
        ResidentHarness.Answer a = r.ask(cwd, env, "run", "--report", "report.json", "guest.wat");
        assertThat(a.fallback()).isFalse();
        assertThat(a.out()).isEqualTo("to out\n");
        assertThat(a.err()).isEqualTo("to err\n");
        assertThat(a.code()).isEqualTo(7);
        // relative paths name files in the client's folder, not in this JVM's
        assertThat(Files.readString(cwd.resolve("report.json"))).contains("\"exitCode\" : 7");
        assertThat(Path.of("report.json")).doesNotExist();
    }

    @Test
    void takesDefaultsFromTheClientsEnvironment() throws IOException {
        Files.writeString(cwd.resolve("guest.wat"), OUT_ERR_EXIT_7);
        assertThat(r.ask(cwd, env, "run", "guest.wat").code()).isEqualTo(7);
        // the store of runs went to the client's AIRLOCK_DATA, the compiled module to its cache
        assertThat(tmp.resolve("data").resolve(dev.airlock.audit.store.Store.FILE_NAME))
                .isRegularFile();
        assertThat(tmp.resolve("cache/modules")).isNotEmptyDirectory();
    }

    @Test
    void resolvesRelativeMountsAgainstTheClientsFolder() throws IOException {
        Files.createDirectories(cwd.resolve("in"));
        Files.writeString(cwd.resolve("in/x.txt"), "mounted\n");
        ResidentHarness.Answer a =
                r.ask(
                        cwd,
                        env,
                        "py",
                        "--mount",
                        "./in:/in",
                        "-c",
                        "import sys; print(open('/in/x.txt').read(), end=''); sys.exit(3)");
        assertThat(a.out()).isEqualTo("mounted\n");
        assertThat(a.code()).isEqualTo(3);
        ResidentHarness.Answer missing = r.ask(cwd, env, "py", "--mount", "nowhere:/in", "-c", "1");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("--mount: not a directory: " + cwd.resolve("nowhere"));
    }

    @Test
    void leavesOtherCommandsHelpAndTheVersionToTheClient() throws IOException {
        assertThat(r.ask(cwd, env, "inspect", "x.wasm").fallback()).isTrue();
        assertThat(r.ask(cwd, env, "run", "--help").fallback()).isTrue();
        assertThat(r.ask(cwd, env, "py", "-V").fallback()).isTrue();
        assertThat(r.ask(cwd, env).fallback()).isTrue();
    }

    @Test
    void leavesClientsOfAnotherUmaskOrProtocolVersionToThemselves() throws IOException {
        Files.writeString(cwd.resolve("guest.wat"), OUT_ERR_EXIT_7);
        int own = ResidentServer.ownUmask();
        assertThat(own).isBetween(0, 0777);
        assertThat(r.ask(cwd, own ^ 077, env, "run", "guest.wat").fallback()).isTrue();
        assertThat(r.ask(cwd, own ^ 02, env, "run", "guest.wat").fallback()).isTrue();
        assertThat(r.ask(cwd, own, env, "run", "guest.wat").code()).isEqualTo(7);
        try (SocketChannel ch = r.connect()) {
            Channels.newOutputStream(ch).write(new byte[] {'A', 'L', 'R', '1', 0, 0, 0, 0});
            assertThat(ResidentHarness.answer(ch).fallback()).isTrue();
        }
    }

    @Test
    void answersBrokenRequestsWithAnErrorAndGoesOnServing() throws IOException {
        try (SocketChannel ch = r.connect()) {
            Channels.newOutputStream(ch)
                    .write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            ResidentHarness.Answer a = ResidentHarness.answer(ch);
            assertThat(a.code()).isEqualTo(2);
            assertThat(a.err())
                    .startsWith("airlock: resident: bad request: not an airlock-client request");
        }
        try (SocketChannel ch = r.connect()) {
            Channels.newOutputStream(ch).write(new byte[] {'A', 'L', 'R', '2', 0x7f, 0, 0, 0});
            assertThat(ResidentHarness.answer(ch).err()).contains("larger than");
        }
        try (SocketChannel ch = r.connect()) {
            ResidentHarness.send(ch, "relative/folder", env, "run", "x.wat");
            assertThat(ResidentHarness.answer(ch).err())
                    .contains("the working folder is not absolute");
        }
        Files.writeString(cwd.resolve("guest.wat"), OUT_ERR_EXIT_7);
        assertThat(r.ask(cwd, env, "run", "guest.wat").code()).isEqualTo(7);
    }

    @Test
    void aClientThatGoesAwayStopsItsRun() throws Exception {
        Files.writeString(cwd.resolve("spin.wat"), SPIN);
        try (SocketChannel ch = r.connect()) {
            ResidentHarness.send(ch, cwd.toString(), env, "run", "--timeout", "10m", "spin.wat");
            awaitActive(1);
        }
        awaitActive(0);
        assertThat(r.server.active()).isZero();
    }

    @Test
    void leavesCommandLinesPastItsLimitToTheirClients() throws Exception {
        Files.writeString(cwd.resolve("spin.wat"), SPIN);
        Files.writeString(cwd.resolve("guest.wat"), OUT_ERR_EXIT_7);
        try (SocketChannel one = r.connect();
                SocketChannel two = r.connect()) {
            ResidentHarness.send(one, cwd.toString(), env, "run", "--timeout", "10m", "spin.wat");
            ResidentHarness.send(two, cwd.toString(), env, "run", "--timeout", "10m", "spin.wat");
            awaitActive(2);
            assertThat(r.ask(cwd, env, "run", "guest.wat").fallback()).isTrue();
        }
        awaitActive(0);
        assertThat(r.ask(cwd, env, "run", "guest.wat").code()).isEqualTo(7);
    }

    @Test
    void aGuestStoppedWhileItWritesStillEndsWithAStatus() throws IOException {
        // the time limit interrupts the guest's thread, most likely inside a write of its output:
        // the connection must survive that and carry the status
        Files.writeString(cwd.resolve("chatty.wat"), CHATTY);
        for (int i = 0; i < 3; i++) {
            try (SocketChannel ch = r.connect()) {
                ResidentHarness.send(
                        ch,
                        cwd.toString(),
                        env,
                        "run",
                        "--no-store",
                        "--timeout",
                        "300ms",
                        "--max-output",
                        "8G",
                        "chatty.wat");
                InputStream in = Channels.newInputStream(ch);
                assertThat(ResidentHarness.drain(in)).isEqualTo(125);
            }
        }
    }

    @Test
    void isIdleOnlyAfterTheIdleTimeWithNothingRunning() throws Exception {
        assertThat(r.server.idle()).isFalse();
        r.nanos.addAndGet(Duration.ofMinutes(15).toNanos());
        assertThat(r.server.idle()).isTrue();
        Files.writeString(cwd.resolve("spin.wat"), SPIN);
        try (SocketChannel ch = r.connect()) {
            ResidentHarness.send(ch, cwd.toString(), env, "run", "--timeout", "10m", "spin.wat");
            awaitActive(1);
            r.nanos.addAndGet(Duration.ofMinutes(30).toNanos());
            assertThat(r.server.idle()).isFalse();
        }
        awaitActive(0);
        // the idle time counts from the end of the last run
        assertThat(r.server.idle()).isFalse();
        r.nanos.addAndGet(Duration.ofMinutes(15).toNanos());
        assertThat(r.server.idle()).isTrue();
    }

    private void awaitActive(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (r.server.active() != n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(r.server.active()).isEqualTo(n);
    }
}
