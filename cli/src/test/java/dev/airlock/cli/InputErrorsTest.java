package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.lang.Language;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong inputs: each gets one clear line and its documented exit status. And .wat modules. */
class InputErrorsTest {
    @TempDir Path tmp;

    static final String EXIT_7 =
            "(module (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $exit (param i32)))\n"
                    + " (memory 1) (func (export \"_start\") (call $exit (i32.const 7))))\n";

    private CliHarness.Result run(String... args) {
        List<String> all =
                new ArrayList<>(List.of("run", "--no-cache", "--data=" + tmp.resolve("data")));
        all.addAll(List.of(args));
        return CliHarness.run(all.toArray(new String[0]));
    }

    private Path file(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void aWatFileIsAssembledForRunAndInspect() throws IOException {
        Path wat = file("exit7.wat", ";; exits 7\n" + EXIT_7);
        CliHarness.Result r = run("--no-store", wat.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(7);
        assertThat(r.err()).isEmpty();
        r = CliHarness.run("inspect", "--no-cache", wat.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("kind       command (exports _start)")
                .contains("verdict    runnable");
    }

    @Test
    void aWatFileThatDoesNotAssembleIsRejectedInOneLine() throws IOException {
        Path wat = file("bad.wat", "(module (func (export \"_start\") (i32.bogus)))");
        CliHarness.Result r = run("--no-store", wat.toString());
        assertThat(r.code()).isEqualTo(126);
        assertThat(r.err())
                .startsWith("airlock: module rejected: invalid WebAssembly text format: ");
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void sizesAcceptEveryCommonSpellingAsBinaryUnits() throws IOException {
        Path wat = file("mem.wat", "(module (memory 32) (func (export \"_start\")))");
        for (String size : List.of("1MB", "1M", "1m", "1MiB", "1mb", "1024K", "1024KB")) {
            CliHarness.Result r =
                    CliHarness.run("inspect", "--no-cache", "--memory", size, wat.toString());
            assertThat(r.code()).as(size + ": " + r.err()).isZero();
            assertThat(r.out())
                    .as(size)
                    .contains("initial size 2MiB is above the memory limit of 1MiB");
        }
        CliHarness.Result r = CliHarness.run("inspect", "--memory", "1MX", wat.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("airlock: unknown size unit 'MX' in '1MX'");
    }

    @Test
    void aWrongMountModeIsNamed() {
        CliHarness.Result r = run("--mount", "a:b:rx", "x.wasm");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().findFirst().orElseThrow())
                .isEqualTo(
                        "airlock: --mount: invalid mount mode 'rx' in 'a:b:rx' (use ro or rw: HOST:GUEST[:ro|:rw])");
        r = run("--mount", tmp + ":data", "x.wasm");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("airlock: --mount: guest path must be absolute: data in '");
    }

    @Test
    void aReportThatCannotBeWrittenIsAUsageErrorBeforeTheRun() throws IOException {
        Path wat = file("exit7.wat", EXIT_7);
        Path report = tmp.resolve("no-such-folder").resolve("r.json");
        CliHarness.Result r = run("--no-store", "--report", report.toString(), wat.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().findFirst().orElseThrow())
                .isEqualTo(
                        "airlock: --report: cannot write "
                                + report
                                + ": no such folder "
                                + report.getParent());
        assertThat(r.guestOut()).isEmpty();
        r = run("--no-store", "--report", tmp.toString(), wat.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .startsWith("airlock: --report: cannot write " + tmp + ": it is a folder\n");
        r = CliHarness.run("py", "--no-store", "--report", tmp.toString(), "-c", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .startsWith("airlock: --report: cannot write " + tmp + ": it is a folder\n");
    }

    @Test
    void interpretersSayWhyTheyHaveNoFuelOrWasiNn() {
        CliHarness.Result r = CliHarness.run("py", "--fuel", "100", "-c", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().findFirst().orElseThrow())
                .isEqualTo(
                        "airlock: py has no --fuel: the interpreter starts from an unmetered image, so its fuel cannot be counted (use --timeout)");
        r = CliHarness.run("js", "--nn-model=a=b.onnx", "-c", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .startsWith(
                        "airlock: js has no --nn-model: it is for WebAssembly modules (airlock run)\n");
    }

    @Test
    void anOtlpEndpointThatIsNotAnHttpAddressIsAUsageError() {
        for (String bad : List.of("ftp://collector:4318", "collector:4318", "http://u:p@c:4318")) {
            CliHarness.Result r =
                    CliHarness.run(
                            "serve",
                            "--data=" + tmp.resolve("data"),
                            "--port=0",
                            "--otlp-endpoint=" + bad);
            assertThat(r.code()).as(bad).isEqualTo(2);
            assertThat(r.err().lines().findFirst().orElseThrow())
                    .as(bad)
                    .startsWith("airlock: OTLP endpoint: an http or https address");
            CliHarness.Result m =
                    CliHarness.run(
                            "mcp", "--data=" + tmp.resolve("data"), "--otlp-endpoint=" + bad);
            assertThat(m.code()).as(bad).isEqualTo(2);
            assertThat(m.err().lines().findFirst().orElseThrow())
                    .as(bad)
                    .startsWith("airlock: OTLP endpoint: an http or https address");
        }
    }

    @Test
    void auditVerifyOfAMissingFileIsAUsageError() {
        Path missing = tmp.resolve("missing.jsonl");
        CliHarness.Result r =
                CliHarness.run(
                        "audit", "verify", "--data=" + tmp.resolve("data"), missing.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("airlock: cannot read " + missing + ": no such file\n");
        r = CliHarness.run("audit", "show", missing.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("airlock: cannot read " + missing + ": no such file\n");
    }

    @Test
    void auditShowOfAnUnknownRunSaysSoAndTheGrantsLeaveOutWasiNn() throws IOException {
        Path wat = file("exit7.wat", EXIT_7);
        Path trail = tmp.resolve("trail.jsonl");
        CliHarness.Result r = run("--audit", trail.toString(), wat.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(7);

        String data = "--data=" + tmp.resolve("data");
        r = CliHarness.run("audit", "show", "--run", "nope", trail.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("airlock: unknown run: nope (not in " + trail + ")\n");
        r = CliHarness.run("audit", "show", data, "--run", "nope");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("airlock: unknown run: nope (not in the store in ");

        ObjectMapper json = new ObjectMapper();
        String runId = null;
        int grants = 0;
        for (String line : Files.readAllLines(trail)) {
            JsonNode n = json.readTree(line);
            runId = n.path("run").asText(runId);
            JsonNode g = n.path("details").path("grants");
            if (!g.isMissingNode()) {
                grants++;
                assertThat(g.path("hostFunctions").toString()).doesNotContain("wasi_ephemeral_nn");
            }
        }
        assertThat(grants).isPositive();
        r = CliHarness.run("audit", "show", "--run", runId, trail.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isNotEmpty();
    }

    @Test
    void theBundledPythonIsTheVersionThatVersionNames() {
        CliHarness.Result r =
                CliHarness.run(
                        "py",
                        "--no-store",
                        "--no-cache",
                        "-c",
                        "import sys; print(sys.version.split()[0])");
        assertThat(r.code()).as(r.err() + r.guestErr()).isZero();
        assertThat(Language.PYTHON.runtime()).isEqualTo("CPython " + r.guestOut().strip());
    }
}
