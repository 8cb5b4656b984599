package dev.airlock.cli.component;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.cli.CliHarness;
import dev.airlock.cli.CliHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airlock compose}: three components from a manifest, each under its own policy. */
class ComposeCliTest {
    static final Path DIR =
            Path.of("../components/src/test/resources/dev/airlock/components/compose")
                    .toAbsolutePath()
                    .normalize();

    static Path manifest(Path dir, String timeClock) throws Exception {
        String json =
                """
                {"root": "app",
                 "components": {
                   "app": {"file": "%1$s/app.wasm", "clock": "deny"},
                   "secret": {"file": "%1$s/secret.wasm", "env": {"A": "1", "B": "2"}},
                   "time": {"file": "%1$s/time.wasm", "clock": "%2$s"}},
                 "links": [
                   {"component": "app", "import": "test:compose/secret@0.1.0", "from": "secret"},
                   {"component": "app", "import": "test:compose/time@0.1.0", "from": "time"}]}
                """
                        .formatted(DIR, timeClock);
        Path m = dir.resolve("compose.json");
        Files.writeString(m, json);
        return m;
    }

    @Test
    void callsTheRootWithEachComponentUnderItsOwnPolicy(@TempDir Path dir) throws Exception {
        Path audit = dir.resolve("trail.jsonl");
        Result r =
                CliHarness.run(
                        "compose",
                        "--no-store",
                        "--audit",
                        audit.toString(),
                        manifest(dir, "frozen").toString(),
                        "--call",
                        "report");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().trim()).isEqualTo("[0,2,946684800]");
        assertThat(Files.readString(audit))
                .contains("\"call\":\"test:compose/secret@0.1.0.count-env\"")
                .contains("\"component\":\"secret\"");
        r =
                CliHarness.run(
                        "compose",
                        "--no-store",
                        manifest(dir, "frozen").toString(),
                        "--call",
                        "shout",
                        "--args",
                        "[\"quiet\"]");
        assertThat(r.out().trim()).isEqualTo("\"QUIET\"");
    }

    @Test
    void aCalleeWhosePolicyDeniesItsImportIsRefused(@TempDir Path dir) throws Exception {
        Result r =
                CliHarness.run(
                        "compose",
                        "--no-store",
                        manifest(dir, "deny").toString(),
                        "--call",
                        "report");
        assertThat(r.code()).isEqualTo(126);
        assertThat(r.err().trim())
                .isEqualTo(
                        "airlock: component rejected: component import"
                                + " 'wasi:clocks/wall-clock@0.2.0' is not granted (the policy"
                                + " denies the clock)");
    }

    @Test
    void badManifestsAreUsageErrors(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("bad.json");
        Files.writeString(m, "{\"root\": \"app\", \"components\": {\"app\": {\"fiel\": \"x\"}}}");
        Result r = CliHarness.run("compose", m.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("airlock: " + m + ": components.app: unknown field fiel");
        Files.writeString(m, "{not json");
        r = CliHarness.run("compose", m.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("not valid JSON").doesNotContain("Exception");
        Files.writeString(
                m,
                "{\"root\": \"app\", \"components\": {\"app\": {\"file\": \"a.wasm\"}},"
                        + " \"links\": [{\"component\": \"app\", \"import\": \"x\", \"from\":"
                        + " \"nope\"}]}");
        r = CliHarness.run("compose", m.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("links[0]: no component nope");
    }
}
