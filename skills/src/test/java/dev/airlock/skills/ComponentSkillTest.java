package dev.airlock.skills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.event.EventSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A skill whose entry is a WebAssembly component: its tools are the component's exported functions,
 * called with named arguments; its imports need capabilities as a module's do.
 */
class ComponentSkillTest {
    static final Path COMPONENTS =
            Path.of("..", "components", "src", "test", "resources", "dev", "airlock", "components");
    static final SkillRunner RUNNER = new SkillRunner(Fixture.AIRLOCK);

    @TempDir Path tmp;

    @AfterAll
    static void close() {
        RUNNER.close();
    }

    static SkillFiles skill(String component, String capabilities, String tools) throws Exception {
        TreeMap<String, byte[]> f = new TreeMap<>();
        f.put("main.wasm", Files.readAllBytes(COMPONENTS.resolve(component)));
        f.put(
                Manifest.FILE,
                Fixture.utf8(
                        "{\"name\":\"texts\",\"version\":\"1.0.0\",\"description\":\"test\","
                                + "\"publisher\":\"acme\",\"tools\":"
                                + tools
                                + ",\"entry\":{\"kind\":\"component\",\"file\":\"main.wasm\"},"
                                + "\"capabilities\":"
                                + capabilities
                                + "}"));
        return new SkillFiles(f);
    }

    static final String TOOLS =
            "[{\"name\":\"upper\",\"description\":\"upper case\","
                    + "\"inputSchema\":{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\"}},"
                    + "\"required\":[\"s\"]},\"outputSchema\":{\"type\":\"string\"}},"
                    + "{\"name\":\"count-env\",\"description\":\"how many variables it sees\","
                    + "\"inputSchema\":{\"type\":\"object\"},\"outputSchema\":{\"type\":\"integer\"}}]";

    SkillRunner.Result run(Fixture fx, String tool, String input, Allowance a) throws Exception {
        Registry.Installed s = fx.registry.get("texts", null, Fixture.AIRLOCK);
        return RUNNER.run(
                s,
                tool,
                input.getBytes(StandardCharsets.UTF_8),
                a,
                new ByteArrayOutputStream(),
                EventSink.none());
    }

    @Test
    void toolsAreTheComponentsFunctions() throws Exception {
        Fixture fx = new Fixture(tmp);
        fx.install(skill("compose/secret.wasm", "{\"env\":[\"A\"]}", TOOLS));
        SkillRunner.Result r = run(fx, "upper", "{\"s\":\"mixed Case\"}", Allowance.nothing());
        assertThat(r.exitCode()).as(r.outcome().message()).isZero();
        assertThat(r.output().asText()).isEqualTo("MIXED CASE");
        // the operator offers two variables; the skill declared one, so it sees that one and
        // AIRLOCK_TOOL, which every skill run gets
        SkillRunner.Result env =
                run(fx, "count-env", "{}", Allowance.nothing().withEnv(Map.of("A", "1", "B", "2")));
        assertThat(env.output().asInt()).isEqualTo(2);
        assertThat(run(fx, "count-env", "{}", Allowance.nothing()).output().asInt()).isEqualTo(1);
    }

    @Test
    void aToolWithoutAFunctionIsRefusedAtInstall() throws Exception {
        Fixture fx = new Fixture(tmp);
        String tools = TOOLS.replace("\"count-env\"", "\"count-all\"");
        assertThatThrownBy(() -> fx.install(skill("compose/secret.wasm", "{}", tools)))
                .isInstanceOf(SkillException.class)
                .hasMessageContaining("main.wasm exports no function for tool count-all");
    }

    @Test
    void importsNeedDeclaredCapabilities() throws Exception {
        Fixture fx = new Fixture(tmp);
        String seconds =
                "[{\"name\":\"seconds\",\"description\":\"t\",\"inputSchema\":{\"type\":\"object\"},"
                        + "\"outputSchema\":{\"type\":\"integer\"}}]";
        assertThatThrownBy(() -> fx.install(skill("compose/time.wasm", "{}", seconds)))
                .isInstanceOf(SkillException.class)
                .hasMessageContaining("needs capability 'clock'")
                .hasMessageContaining("wasi:clocks/wall-clock@0.2.0");
        String run = seconds.replace("\"seconds\"", "\"run\"");
        assertThatThrownBy(() -> fx.install(skill("wasi/sockets.wasm", "{}", run)))
                .isInstanceOf(SkillException.class)
                .hasMessageContaining("needs capability 'network'");
        fx.install(skill("compose/time.wasm", "{\"clock\":true}", seconds));
        SkillRunner.Result r = run(fx, "seconds", "{}", Allowance.nothing().withClock(true));
        assertThat(r.exitCode()).as(r.outcome().message()).isZero();
        assertThat(r.output().asLong()).isGreaterThan(1_700_000_000L);
    }

    @Test
    void inputThatDoesNotFitTheFunctionIsAnInputError() throws Exception {
        Fixture fx = new Fixture(tmp);
        String loose =
                TOOLS.replace(
                        "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\"}},"
                                + "\"required\":[\"s\"]}",
                        "{\"type\":\"object\"}");
        fx.install(skill("compose/secret.wasm", "{}", loose));
        assertThatThrownBy(() -> run(fx, "upper", "{}", Allowance.nothing()))
                .isInstanceOf(SkillException.class)
                .hasMessage("tool upper: missing argument s");
        assertThatThrownBy(() -> run(fx, "upper", "{\"s\": 7}", Allowance.nothing()))
                .isInstanceOf(SkillException.class)
                .hasMessageContaining("tool upper: argument s: expected a string");
    }
}
