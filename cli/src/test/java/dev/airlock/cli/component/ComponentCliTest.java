package dev.airlock.cli.component;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.cli.CliHarness;
import dev.airlock.cli.CliHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airlock inspect} and {@code airlock call} on a WebAssembly component. */
class ComponentCliTest {
    static final String TYPES =
            "../components/src/test/resources/dev/airlock/components/types.wasm";
    static final String I = "test:types/echo#";

    @Test
    void inspectPrintsTheWorldAsWit() {
        Result r = CliHarness.run("inspect", TYPES);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("runnable   yes")
                .contains("world root {")
                .contains("export test:types/echo;")
                .contains("export add: func(a: u32, b: u32) -> u32;")
                .contains("variant shape { circle(f64), rect(point), empty, label(string) }");
        Result j = CliHarness.run("inspect", "--json", TYPES);
        assertThat(j.code()).isZero();
        assertThat(j.out()).contains("\"kind\" : \"component\"").contains("test:types/echo#greet");
        // each function's arguments and result as JSON Schemas derived from WIT
        assertThat(j.out())
                .contains("\"add\" : {\n      \"input\" : {\n        \"type\" : \"object\"")
                .contains("\"maximum\" : 4294967295");
    }

    @Test
    void callPrintsTheResultAsJson() {
        Result r = CliHarness.run("call", TYPES, "add", "--args", "[40, 2]");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().trim()).isEqualTo("42");
        r =
                CliHarness.run(
                        "call",
                        TYPES,
                        I + "echo-mixed",
                        "--args",
                        "[{\"a\":1,\"b\":2,\"c\":3,\"d\":0.25,\"e\":\"\u00e9\"}]");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().trim())
                .isEqualTo("{\"a\":1,\"b\":2,\"c\":3,\"d\":0.25,\"e\":\"\u00e9\"}");
    }

    @Test
    void aReturnedErrorPrintsItsPayloadAndExitsOne() {
        Result r =
                CliHarness.run(
                        "call", TYPES, I + "echo-result", "--args", "[{\"error\":\"boom\"}]");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out().trim()).isEqualTo("\"boom\"");
    }

    @Test
    void trapsExit125WithOneLine() {
        Result r = CliHarness.run("call", TYPES, I + "bad-string");
        assertThat(r.code()).isEqualTo(125);
        assertThat(r.err().trim()).startsWith("airlock: trap:").contains("not valid UTF-8");
        assertThat(r.err().trim().lines()).hasSize(1);
    }

    @Test
    void limitsExit125() {
        Result r = CliHarness.run("call", "--timeout", "300ms", TYPES, "spin");
        assertThat(r.code()).isEqualTo(125);
        assertThat(r.err().trim()).isEqualTo("airlock: limit exceeded: time (300ms)");
    }

    @Test
    void badCallsAreUsageErrors() {
        Result r = CliHarness.run("call", TYPES, I + "echo-u8", "--args", "[300]");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().trim()).isEqualTo("airlock: argument x: expected u8 (0 to 255)");
        r = CliHarness.run("call", TYPES, "nope");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no exported function 'nope'");
    }

    @Test
    void malformedComponentsAreRejected(@TempDir Path dir) throws Exception {
        byte[] good = Files.readAllBytes(Path.of(TYPES));
        Path cut = dir.resolve("cut.wasm");
        Files.write(cut, java.util.Arrays.copyOf(good, good.length / 2));
        Result r = CliHarness.run("call", cut.toString(), "add", "--args", "[1, 2]");
        assertThat(r.code()).isEqualTo(126);
        assertThat(r.err().trim()).startsWith("airlock: component rejected: malformed component:");
        assertThat(r.err()).doesNotContain("Exception");
        r = CliHarness.run("inspect", cut.toString());
        assertThat(r.code()).isEqualTo(126);
    }

    @Test
    void aComponentWithImportsIsInspectedButNotRun() {
        String imports = TYPES.replace("types.wasm", "imports.wasm");
        Result r = CliHarness.run("inspect", imports);
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains("runnable   no: component import 'test:io/poll@0.1.0' is not supplied");
        r = CliHarness.run("call", imports, "seven");
        assertThat(r.code()).isEqualTo(126);
        assertThat(r.err().trim())
                .isEqualTo(
                        "airlock: component rejected: component import 'test:io/poll@0.1.0' is not supplied");
    }

    static final String PROBE = TYPES.replace("types.wasm", "wasi/probe.wasm");

    @Test
    void runRunsAWasiCommandComponent(@TempDir Path dir) throws Exception {
        Path stdin = dir.resolve("in.txt");
        Files.writeString(stdin, "typed\n");
        Path data = Files.createDirectory(dir.resolve("data"));
        Result r =
                CliHarness.run(
                        "run",
                        "--env",
                        "GREETING=hello",
                        "--stdin",
                        stdin.toString(),
                        "--mount",
                        data + ":/data:rw",
                        "--clock",
                        "frozen",
                        "--no-store",
                        PROBE,
                        "files",
                        "/data");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.guestOut())
                .contains("args: files /data\nGREETING=hello\nstdin: typed\nrealtime 946684800\n")
                .contains("read back: written by a component\nentry moved.txt\n")
                .contains("files ok\n");
        assertThat(r.guestErr()).isEqualTo("a line on stderr\n");
        Result denied = CliHarness.run("run", "--clock", "deny", "--no-store", PROBE);
        assertThat(denied.code()).isEqualTo(126);
        assertThat(denied.err().trim())
                .startsWith("airlock: component rejected: component import 'wasi:clocks/")
                .endsWith("is not granted (the policy denies the clock)");
        Result notCommand = CliHarness.run("run", "--no-store", TYPES);
        assertThat(notCommand.code()).isEqualTo(126);
        assertThat(notCommand.err().trim())
                .isEqualTo(
                        "airlock: component rejected: the component exports no wasi:cli/run"
                                + " (call its functions with airlock call)");
    }
}
