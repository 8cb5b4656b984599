package dev.airlock.skills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Status;
import dev.airlock.core.event.EventSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installed skills run under the manifest's grant intersected with the operator's allowance. */
class SkillRunTest {
    static final SkillRunner RUNNER = new SkillRunner(Fixture.AIRLOCK);

    @TempDir Path tmp;

    @AfterAll
    static void close() {
        RUNNER.close();
    }

    SkillRunner.Result run(Fixture fx, String name, String tool, String input, Allowance a)
            throws Exception {
        Registry.Installed s = fx.registry.get(name, null, Fixture.AIRLOCK);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SkillRunner.Result r =
                RUNNER.run(
                        s, tool, input.getBytes(StandardCharsets.UTF_8), a, err, EventSink.none());
        assertThat(r.exitCode())
                .as("%s %s: %s %s", r.outcome(), r.problem(), err, new String(r.stdout()))
                .isZero();
        return r;
    }

    @Test
    void theWasmExampleRunsBothTools() throws Exception {
        Fixture fx = new Fixture(tmp);
        fx.install(Fixture.example("wasm-echo"));
        assertThat(
                        Json.write(
                                run(
                                                fx,
                                                "wasm-echo",
                                                "echo",
                                                "{ \"a\" : [1, 2] }",
                                                Allowance.nothing())
                                        .output()))
                .isEqualTo("{\"input\":{\"a\":[1,2]}}");
        assertThat(
                        Json.write(
                                run(fx, "wasm-echo", "count", "{\"a\":1}", Allowance.nothing())
                                        .output()))
                .isEqualTo("{\"bytes\":7}");
    }

    @Test
    void thePythonExampleRunsAndReadsItsOwnData() throws Exception {
        Fixture fx = new Fixture(tmp);
        fx.install(Fixture.example("py-stats"));
        assertThat(
                        Json.write(
                                run(
                                                fx,
                                                "py-stats",
                                                "stats",
                                                "{\"numbers\":[1,2,3,4]}",
                                                Allowance.nothing())
                                        .output()))
                .isEqualTo("{\"count\":4,\"sum\":10,\"mean\":2.5,\"min\":1,\"max\":4}");
        assertThat(
                        Json.write(
                                run(
                                                fx,
                                                "py-stats",
                                                "words",
                                                "{\"text\":\"the cat and the hat, the cat\",\"top\":2}",
                                                Allowance.nothing())
                                        .output()))
                .isEqualTo(
                        "{\"words\":[{\"word\":\"cat\",\"count\":2},{\"word\":\"hat\",\"count\":1}]}");
    }

    @Test
    void theJavaScriptExampleRuns() throws Exception {
        Fixture fx = new Fixture(tmp);
        fx.install(Fixture.example("js-slug"));
        assertThat(
                        Json.write(
                                run(
                                                fx,
                                                "js-slug",
                                                null,
                                                "{\"text\":\"Héllo, Wörld! 2024\"}",
                                                Allowance.nothing())
                                        .output()))
                .isEqualTo("{\"slug\":\"hello-world-2024\"}");
    }

    @Test
    void aSkillReachesOnlyWhatItDeclaredWhateverTheOperatorAllows() throws Exception {
        Fixture fx = new Fixture(tmp);
        Path data = Files.createDirectories(tmp.resolve("data-dir"));
        Path secret = Files.createDirectories(tmp.resolve("secret-dir"));
        Files.writeString(data.resolve("x.txt"), "visible");
        Files.writeString(secret.resolve("s.txt"), "s3cret");
        String code =
                "import json, os\n"
                        + "def read(p):\n"
                        + "    try:\n"
                        + "        return open(p).read()\n"
                        + "    except OSError as e:\n"
                        + "        return type(e).__name__\n"
                        + "print(json.dumps({'data': read('/data/x.txt'), 'secret': read('/secret/s.txt'),"
                        + " 'env': sorted(k for k in os.environ), 'foo': os.environ.get('FOO'),"
                        + " 'write': read('/data/../data/x.txt')}))\n";
        fx.install(
                Fixture.python(
                        "nosy",
                        code,
                        "{\"mounts\":[{\"guest\":\"/data\",\"mode\":\"ro\",\"purpose\":\"input\"}],"
                                + "\"env\":[\"FOO\"]}"));
        Allowance generous =
                Allowance.defaults()
                        .withMounts(
                                List.of(
                                        new Mount(data, "/data", Mount.Mode.READ_WRITE),
                                        new Mount(secret, "/secret", Mount.Mode.READ_WRITE)))
                        .withEnv(Map.of("FOO", "foo", "BAR", "bar", "HOME", "/root"));
        SkillRunner.Result r = run(fx, "nosy", "run", "{}", generous);
        assertThat(r.output().get("data").asText()).isEqualTo("visible");
        assertThat(r.output().get("secret").asText()).isEqualTo("FileNotFoundError");
        assertThat(r.output().get("foo").asText()).isEqualTo("foo");
        assertThat(r.output().get("env").toString()).isEqualTo("[\"AIRLOCK_TOOL\",\"FOO\"]");
        assertThat(r.notes())
                .contains(
                        "mount /secret allowed but not declared: not mounted",
                        "env BAR allowed but not declared: unset");
        // declared but not allowed: not there either
        SkillRunner.Result stingy = run(fx, "nosy", "run", "{}", Allowance.nothing());
        assertThat(stingy.output().get("data").asText()).isEqualTo("FileNotFoundError");
        assertThat(stingy.output().get("foo").isNull()).isTrue();
    }

    @Test
    void aSkillCallsOnlyTheHostToolsItDeclared() throws Exception {
        Fixture fx = new Fixture(tmp);
        String code =
                "import airlock, json\n"
                        + "def call(name):\n"
                        + "    try:\n"
                        + "        return airlock.call(name, {'q': 1})\n"
                        + "    except airlock.ToolError as e:\n"
                        + "        return 'refused'\n"
                        + "print(json.dumps({'search': call('search'), 'admin': call('admin')}))\n";
        fx.install(Fixture.python("caller", code, "{\"tools\":[\"search\"]}"));
        Allowance a =
                Allowance.nothing()
                        .withTools(
                                Map.of(
                                        "search", args -> "{\"hits\":3}",
                                        "admin", args -> "{\"root\":true}"));
        SkillRunner.Result r = run(fx, "caller", "run", "{}", a);
        assertThat(Json.write(r.output()))
                .isEqualTo("{\"search\":{\"hits\":3},\"admin\":\"refused\"}");
        // declared but not offered: refused too
        SkillRunner.Result none = run(fx, "caller", "run", "{}", Allowance.nothing());
        assertThat(Json.write(none.output()))
                .isEqualTo("{\"search\":\"refused\",\"admin\":\"refused\"}");
        assertThat(none.notes()).contains("tool search declared but not allowed: not granted");
    }

    @Test
    void limitsNeverExceedTheOperators() throws Exception {
        Limits ceiling =
                Limits.builder()
                        .memoryBytes(64L << 20)
                        .timeout(Duration.ofSeconds(10))
                        .maxOutputBytes(1 << 20)
                        .fuel(1000)
                        .build();
        Limits greedy =
                Grants.limits(
                        new Manifest.SkillLimits(
                                1_000_000_000L, 1L << 30, Duration.ofHours(1), 1L << 30),
                        ceiling);
        assertThat(greedy.memoryBytes()).isEqualTo(64L << 20);
        assertThat(greedy.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(greedy.maxOutputBytes()).isEqualTo(1 << 20);
        assertThat(greedy.fuel().getAsLong()).isEqualTo(1000);
        Limits modest =
                Grants.limits(
                        new Manifest.SkillLimits(10L, 1L << 20, Duration.ofSeconds(1), 100L),
                        ceiling);
        assertThat(modest.memoryBytes()).isEqualTo(1L << 20);
        assertThat(modest.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(modest.maxOutputBytes()).isEqualTo(100);
        assertThat(modest.fuel().getAsLong()).isEqualTo(10);
        // and in a run: the example declares 10,000,000 fuel; the operator allows 50
        Fixture fx = new Fixture(tmp);
        fx.install(Fixture.example("wasm-echo"));
        Registry.Installed s = fx.registry.get("wasm-echo", null, Fixture.AIRLOCK);
        SkillRunner.Result r =
                RUNNER.run(
                        s,
                        "echo",
                        Fixture.utf8("{}"),
                        Allowance.nothing().withLimits(Limits.builder().fuel(50).build()),
                        new ByteArrayOutputStream(),
                        EventSink.none());
        assertThat(r.outcome().status()).isEqualTo(Status.LIMIT);
        assertThat(r.outcome().limitKind()).isEqualTo(LimitKind.FUEL);
        assertThat(r.exitCode()).isEqualTo(125);
    }

    @Test
    void inputAndOutputAreCheckedAgainstTheSchemas() throws Exception {
        Fixture fx = new Fixture(tmp);
        fx.install(Fixture.example("py-stats"));
        Registry.Installed s = fx.registry.get("py-stats", null, Fixture.AIRLOCK);
        assertThatThrownBy(
                        () ->
                                RUNNER.run(
                                        s,
                                        "stats",
                                        Fixture.utf8("{\"numbers\":\"1,2\"}"),
                                        Allowance.nothing(),
                                        new ByteArrayOutputStream(),
                                        EventSink.none()))
                .isInstanceOfSatisfying(
                        SkillException.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(SkillException.Kind.INPUT);
                            assertThat(e.getMessage())
                                    .isEqualTo("tool stats: $.numbers: expected array, got string");
                        });
        assertThatThrownBy(
                        () ->
                                RUNNER.run(
                                        s,
                                        "nope",
                                        Fixture.utf8("{}"),
                                        Allowance.nothing(),
                                        new ByteArrayOutputStream(),
                                        EventSink.none()))
                .hasMessageContaining("no tool 'nope' (tools: stats, words)");
        fx.install(
                Fixture.python("liar", "print('{\"a\": 1}')\n", "{}")
                        .with(
                                Manifest.FILE,
                                Fixture.utf8(
                                        Fixture.manifest("liar", "1.0.0", "python", "main.py", "{}")
                                                .replace(
                                                        "\"outputSchema\":{\"type\":\"object\"}",
                                                        "\"outputSchema\":{\"type\":\"array\"}"))));
        Registry.Installed liar = fx.registry.get("liar", null, Fixture.AIRLOCK);
        SkillRunner.Result r =
                RUNNER.run(
                        liar,
                        null,
                        Fixture.utf8("{}"),
                        Allowance.nothing(),
                        new ByteArrayOutputStream(),
                        EventSink.none());
        assertThat(r.exitCode()).isEqualTo(SkillRunner.INVALID_OUTPUT);
        assertThat(r.problem()).isEqualTo("output of run: $: expected array, got object");
    }
}
