package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.core.fuel.CostTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --fuel} and {@code --deterministic} beyond what {@link CliTest} checks: the exact fuel
 * in the report, the report of a spent budget, bad budgets, the options' conflicts, the help, and
 * that a deterministic run gives the same bytes every time.
 */
class FuelCliTest {
    @TempDir Path tmp;

    /** Runs the command line; {@code run} skips the cache and keeps its data in tmp. */
    CliHarness.Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (all.get(0).equals("run")) {
            all.add(1, "--no-cache");
            all.add(1, "--data=" + tmp.resolve("data"));
        }
        return CliHarness.run(all);
    }

    Path wat(String name, String wat) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, Wat2Wasm.parse(wat));
        return p;
    }

    JsonNode report(Path p) throws IOException {
        return Reports.JSON.readTree(p.toFile());
    }

    /** {@code i32.const 7}, a call, then the host call {@code proc_exit}. */
    static final String EXIT_7 =
            "(module (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $exit (param i32)))"
                    + " (memory 1) (func (export \"_start\") (call $exit (i32.const 7))))";

    static final String SPIN = "(module (func (export \"_start\") (loop $l (br $l))))";

    @Test
    void theReportHasTheExactFuelAndTheGuestsExitCodeIsKept() throws IOException {
        Path report = tmp.resolve("r.json");
        Path p = wat("exit7.wasm", EXIT_7);
        CliHarness.Result r =
                cli("run", "--fuel", "1_000", "--report", report.toString(), p.toString());
        assertThat(r.code()).isEqualTo(7);
        CostTable c = CostTable.defaults();
        long expected = c.instruction() + c.call() + c.hostCall();
        assertThat(report(report).get("usage").get("fuel").asLong()).isEqualTo(expected);
        // exactly enough, and one less
        CliHarness.Result exact =
                cli(
                        "run",
                        "--fuel",
                        Long.toString(expected),
                        "--report",
                        report.toString(),
                        p.toString());
        assertThat(exact.code()).isEqualTo(7);
        assertThat(report(report).get("status").asText()).isEqualTo("exit");
        CliHarness.Result less =
                cli(
                        "run",
                        "--fuel",
                        Long.toString(expected - 1),
                        "--report",
                        report.toString(),
                        p.toString());
        assertThat(less.code()).isEqualTo(125);
        assertThat(less.err())
                .isEqualTo("airlock: limit exceeded: fuel (" + (expected - 1) + ")\n");
    }

    @Test
    void aSpentBudgetIsALimitOfKindFuelInTheReport() throws IOException {
        Path report = tmp.resolve("r.json");
        CliHarness.Result r =
                cli(
                        "run",
                        "--fuel",
                        "5000",
                        "--report",
                        report.toString(),
                        wat("spin.wasm", SPIN).toString());
        assertThat(r.code()).isEqualTo(125);
        JsonNode n = report(report);
        assertThat(n.get("status").asText()).isEqualTo("limit");
        assertThat(n.get("kind").asText()).isEqualTo("fuel");
        assertThat(n.get("message").asText()).isEqualTo("limit exceeded: fuel (5000)");
        assertThat(n.get("usage").get("fuel").asLong()).isEqualTo(5000);
    }

    @Test
    void aBadBudgetIsAUsageError() throws IOException {
        String p = wat("spin.wasm", SPIN).toString();
        for (String bad : new String[] {"-1", "lots", "+5", "", "9223372036854775808"}) {
            CliHarness.Result r = cli("run", "--fuel", bad, p);
            assertThat(r.code()).as(bad).isEqualTo(2);
            assertThat(r.err()).as(bad).contains("--fuel expects a whole number");
        }
        assertThat(cli("run", "--fuel", "0", p).err())
                .isEqualTo("airlock: limit exceeded: fuel (0)\n");
    }

    @Test
    void deterministicRefusesRealRandomnessAndTakesASeed() throws IOException {
        String p = wat("spin.wasm", SPIN).toString();
        CliHarness.Result rnd =
                cli("run", "--deterministic", "--fuel", "10", "--random", "real", p);
        assertThat(rnd.code()).isEqualTo(2);
        assertThat(rnd.err()).contains("--deterministic needs seeded randomness");
        CliHarness.Result ok =
                cli("run", "--deterministic", "--fuel", "10", "--random", "seed:3", p);
        assertThat(ok.code()).isEqualTo(125);
        assertThat(ok.err()).isEqualTo("airlock: limit exceeded: fuel (10)\n");
    }

    /** Writes 16 random bytes and the realtime clock's 8 bytes to stdout. */
    static final String RANDOM_AND_CLOCK =
            """
            (module
              (import "wasi_snapshot_preview1" "random_get"
                (func $random_get (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "clock_time_get"
                (func $clock (param i32 i64 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_write"
                (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (memory 1)
              (func (export "_start")
                (drop (call $random_get (i32.const 0) (i32.const 16)))
                (drop (call $clock (i32.const 0) (i64.const 1) (i32.const 16)))
                (i32.store (i32.const 32) (i32.const 0))
                (i32.store (i32.const 36) (i32.const 24))
                (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40)))))
            """;

    @Test
    void aDeterministicRunGivesTheSameBytesAndFuelEveryTime() throws IOException {
        Path p = wat("rc.wasm", RANDOM_AND_CLOCK);
        Path r1 = tmp.resolve("r1.json");
        Path r2 = tmp.resolve("r2.json");
        CliHarness.Result a =
                cli("run", "--deterministic", "--fuel", "10000", "--report", r1.toString(), "" + p);
        CliHarness.Result b =
                cli("run", "--deterministic", "--fuel", "10000", "--report", r2.toString(), "" + p);
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.guestOutBytes()).hasSize(24).isEqualTo(b.guestOutBytes());
        long fuel = report(r1).get("usage").get("fuel").asLong();
        assertThat(fuel).isPositive().isEqualTo(report(r2).get("usage").get("fuel").asLong());
        // another seed, other bytes
        CliHarness.Result c =
                cli("run", "--deterministic", "--fuel", "10000", "--random", "seed:7", "" + p);
        assertThat(c.guestOutBytes()).hasSize(24).isNotEqualTo(a.guestOutBytes());
    }

    @Test
    void theHelpExplainsFuelAndWhatCannotBeMetered() {
        CliHarness.Result r = cli("run", "--help");
        assertThat(r.out()).contains("--fuel=N", "--deterministic", "unmeterable");
    }
}
