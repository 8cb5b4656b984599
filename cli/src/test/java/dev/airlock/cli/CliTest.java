package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.core.Stdio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract: exit statuses, the airlock: line, reports, inspect. */
class CliTest {
    @TempDir Path tmp;

    /**
     * Runs the command line; {@code run} and {@code inspect} skip the cache, {@code run} keeps its
     * data in tmp.
     */
    CliHarness.Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (all.size() > 0 && (all.get(0).equals("run") || all.get(0).equals("inspect"))) {
            all.add(1, "--no-cache");
        }
        if (all.size() > 0 && all.get(0).equals("run")) {
            all.add(1, "--data=" + tmp.resolve("data"));
        }
        return CliHarness.run(all);
    }

    Path wat(String name, String wat) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, Wat2Wasm.parse(wat));
        return p;
    }

    static final String EXIT_7 =
            "(module (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $exit (param i32)))"
                    + " (memory 1) (func (export \"_start\") (call $exit (i32.const 7))))";

    @Test
    void okRunExitsZeroAndPassesArgsIncludingDashes() {
        CliHarness.Result r = cli("run", "../examples/hello.wasm", "--not-an-option", "x");
        assertThat(r.code()).isZero();
        assertThat(r.guestOut())
                .isEqualTo("Hello from inside Airlock! Arguments:\n--not-an-option\nx\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void guestExitCodeIsPassedThrough() throws IOException {
        CliHarness.Result r = cli("run", wat("exit7.wasm", EXIT_7).toString());
        assertThat(r.code()).isEqualTo(7);
        assertThat(r.err()).doesNotContain("airlock:");
    }

    @Test
    void trapExits125WithOneAirlockLine() throws IOException {
        Path p = wat("trap.wasm", "(module (memory 1) (func (export \"_start\") unreachable))");
        CliHarness.Result r = cli("run", p.toString());
        assertThat(r.code()).isEqualTo(125);
        assertThat(r.err()).isEqualTo("airlock: trap: unreachable\n");
    }

    @Test
    void timeoutExits125NamingTheLimit() throws IOException {
        Path p = wat("loop.wasm", "(module (func (export \"_start\") (loop (br 0))))");
        CliHarness.Result r = cli("run", "--timeout", "200ms", p.toString());
        assertThat(r.code()).isEqualTo(125);
        assertThat(r.err()).isEqualTo("airlock: limit exceeded: time (200ms)\n");
    }

    @Test
    void rejectedModuleExits126() throws IOException {
        Path p = tmp.resolve("garbage.wasm");
        Files.writeString(p, "this is not wasm");
        CliHarness.Result r = cli("run", p.toString());
        assertThat(r.code()).isEqualTo(126);
        assertThat(r.err()).startsWith("airlock: module rejected: malformed module");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }

    @Test
    void unknownImportIsRejectedNamingIt() throws IOException {
        Path p =
                wat(
                        "imp.wasm",
                        "(module (import \"env\" \"secret\" (func)) (func (export \"_start\")))");
        CliHarness.Result r = cli("run", p.toString());
        assertThat(r.code()).isEqualTo(126);
        assertThat(r.err()).contains("env.secret");
    }

    @Test
    void usageErrorsExit2() {
        assertThat(cli("run", "--timeout", "soon", "x.wasm").code()).isEqualTo(2);
        assertThat(cli("run", "--memory", "12345", "x.wasm").code()).isEqualTo(2);
        assertThat(cli("run").code()).isEqualTo(2);
        assertThat(cli("frobnicate").code()).isEqualTo(2);
        CliHarness.Result r = cli("run", "--clock", "sometimes", "x.wasm");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("airlock: invalid clock mode");
    }

    @Test
    void reportHasTheDocumentedFields() throws IOException {
        Path report = tmp.resolve("r.json");
        Path p = wat("exit7.wasm", EXIT_7);
        CliHarness.Result r = cli("run", "--report", report.toString(), p.toString());
        assertThat(r.code()).isEqualTo(7);
        JsonNode n = Reports.JSON.readTree(report.toFile());
        assertThat(n.get("status").asText()).isEqualTo("exit");
        assertThat(n.get("exitCode").asInt()).isEqualTo(7);
        assertThat(n.get("kind").isNull()).isTrue();
        assertThat(n.get("message").asText()).isEqualTo("exited with code 7");
        JsonNode u = n.get("usage");
        assertThat(u.get("hostCalls").asLong()).isEqualTo(1);
        assertThat(u.get("memoryPeakBytes").asLong()).isEqualTo(65536);
        assertThat(u.has("wallMillis")).isTrue();
        assertThat(u.has("stdoutBytes")).isTrue();
        assertThat(u.has("stderrBytes")).isTrue();
        assertThat(n.get("denials").isArray()).isTrue();
        assertThat(n.get("module").get("sha256").asText()).hasSize(64);
    }

    @Test
    void inspectGroupsImportsByCapabilityWithVerdicts() {
        CliHarness.Result r = cli("inspect", "../examples/hello.wasm");
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains("kind       command (exports _start)")
                .contains("  files\n")
                .contains("wasi_snapshot_preview1.fd_write")
                .contains("  environment\n")
                .contains("verdict    runnable under this policy");
    }

    @Test
    void inspectJsonReportsUnknownImportsAsRejected() throws IOException {
        Path p =
                wat(
                        "imp.wasm",
                        "(module (import \"env\" \"secret\" (func))"
                                + " (import \"wasi_snapshot_preview1\" \"sock_accept\""
                                + " (func (param i32 i32 i32) (result i32))) (func (export \"_start\")))");
        CliHarness.Result r = cli("inspect", "--json", p.toString());
        assertThat(r.code()).isZero();
        JsonNode n = Reports.JSON.readTree(r.out());
        assertThat(n.get("runnable").asBoolean()).isFalse();
        assertThat(n.get("imports").get(0).get("capability").asText()).isEqualTo("unknown");
        assertThat(n.get("imports").get(0).get("verdict").asText()).startsWith("rejected:");
        assertThat(n.get("imports").get(1).get("capability").asText()).isEqualTo("sockets");
        assertThat(n.get("imports").get(1).get("verdict").asText())
                .isEqualTo("denied (net.sockets)");
    }

    @Test
    void inspectRejectsGarbageWith126() throws IOException {
        Path p = tmp.resolve("empty.wasm");
        Files.write(p, new byte[0]);
        CliHarness.Result r = cli("inspect", p.toString());
        assertThat(r.code()).isEqualTo(126);
        assertThat(r.err()).contains("empty file");
    }

    @Test
    void fuelBudgetStopsALoopWith125AndIsReported() throws IOException {
        Path loop = wat("loop.wasm", "(module (func (export \"_start\") (loop (br 0))))");
        CliHarness.Result r = cli("run", "--fuel", "10_000", loop.toString());
        assertThat(r.code()).isEqualTo(125);
        assertThat(r.err()).isEqualTo("airlock: limit exceeded: fuel (10000)\n");

        Path report = tmp.resolve("fuel.json");
        Path exit7 = wat("exit7.wasm", EXIT_7);
        CliHarness.Result ok =
                cli("run", "--fuel", "1000", "--report", report.toString(), exit7.toString());
        assertThat(ok.code()).isEqualTo(7);
        long used = Reports.JSON.readTree(report.toFile()).get("usage").get("fuel").asLong();
        assertThat(used).isPositive().isLessThan(1000);
        // the same run uses the same fuel every time
        cli("run", "--fuel", "1000", "--report", report.toString(), exit7.toString());
        assertThat(Reports.JSON.readTree(report.toFile()).get("usage").get("fuel").asLong())
                .isEqualTo(used);

        Path plain = tmp.resolve("plain.json");
        cli("run", "--report", plain.toString(), exit7.toString());
        assertThat(Reports.JSON.readTree(plain.toFile()).get("usage").get("fuel").isNull())
                .isTrue();
    }

    @Test
    void deterministicNeedsAFuelBudget() throws IOException {
        Path exit7 = wat("exit7.wasm", EXIT_7);
        CliHarness.Result r = cli("run", "--deterministic", exit7.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("airlock: --deterministic needs a fuel budget");
        assertThat(cli("run", "--deterministic", "--fuel", "1000", exit7.toString()).code())
                .isEqualTo(7);
        assertThat(
                        cli(
                                        "run",
                                        "--deterministic",
                                        "--clock",
                                        "real",
                                        "--fuel",
                                        "9",
                                        exit7.toString())
                                .code())
                .isEqualTo(2);
    }

    /** Reads stdin once into a 10-byte buffer and exits with the number of bytes read. */
    static final String READ_10 =
            "(module"
                    + " (import \"wasi_snapshot_preview1\" \"fd_read\""
                    + "  (func $read (param i32 i32 i32 i32) (result i32)))"
                    + " (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $exit (param i32)))"
                    + " (memory (export \"memory\") 1)"
                    + " (func (export \"_start\")"
                    + "  (i32.store (i32.const 0) (i32.const 100))"
                    + "  (i32.store (i32.const 4) (i32.const 10))"
                    + "  (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))"
                    + "  (call $exit (i32.load (i32.const 8)))))";

    @Test
    void stdinFromAnEndlessDeviceIsStreamedAsTheGuestReads() throws IOException {
        Path zero = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(zero), "needs /dev/zero");
        CliHarness.Result r =
                cli("run", "--stdin", zero.toString(), wat("read10.wasm", READ_10).toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isEqualTo(10);
    }

    @Test
    void anUnreadableStdinIsAUsageError() throws IOException {
        Path read10 = wat("read10.wasm", READ_10);
        CliHarness.Result r =
                cli("run", "--stdin", tmp.resolve("missing").toString(), read10.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .startsWith("airlock: --stdin: cannot read ")
                .doesNotContain("Exception");
        CliHarness.Result d = cli("run", "--stdin", tmp.toString(), read10.toString());
        assertThat(d.code()).isEqualTo(2);
        assertThat(d.err()).startsWith("airlock: --stdin: cannot read ");
    }

    @Test
    void anInternalErrorNamesNoJavaClass() throws IOException {
        java.io.OutputStream failing =
                new java.io.OutputStream() {
                    @Override
                    public void write(int b) {}

                    @Override
                    public void flush() {
                        throw new IllegalStateException();
                    }
                };
        CliHarness.Result r =
                CliHarness.run(
                        Stdio.of(failing, failing),
                        "run",
                        "--no-cache",
                        "--data=" + tmp.resolve("data"),
                        wat("exit7.wasm", EXIT_7).toString());
        assertThat(r.code()).isEqualTo(70);
        assertThat(r.err())
                .startsWith("airlock: internal error: ")
                .doesNotContain("java.")
                .doesNotContain("Exception");
    }
}
