package dev.airlock.skills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Mount;
import dev.airlock.core.event.EventSink;
import dev.airlock.lang.CodeInterpreter;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile: a skill cannot reach a file, an environment variable or a host tool that its caller or
 * another skill has, whether it is called by that skill or run beside it under the same operator.
 */
class SkillIsolationTest {
    static CodeInterpreter interpreters;

    @TempDir static Path tmp;
    static Fixture fx;
    static Allowance generous;

    /** Tries the file, the variable and the tool; answers what it got or the error's type. */
    static final String GRAB =
            "import airlock, json, os\n"
                    + "def read():\n"
                    + "    try:\n"
                    + "        return open('/vault/s.txt').read()\n"
                    + "    except OSError as e:\n"
                    + "        return type(e).__name__\n"
                    + "def tool():\n"
                    + "    try:\n"
                    + "        return airlock.call('vault', {})\n"
                    + "    except airlock.ToolError as e:\n"
                    + "        return 'refused'\n"
                    + "mine = {'file': read(), 'env': os.environ.get('SECRET'), 'tool': tool()}\n";

    @BeforeAll
    static void install() throws Exception {
        interpreters = CodeInterpreter.builder().airlock(Fixture.AIRLOCK).build();
        fx = new Fixture(tmp);
        Path vault = Files.createDirectories(tmp.resolve("vault"));
        Files.writeString(vault.resolve("s.txt"), "s3cret");
        generous =
                Allowance.nothing()
                        .withMounts(List.of(new Mount(vault, "/vault", Mount.Mode.READ_ONLY)))
                        .withEnv(Map.of("SECRET", "s3cret"))
                        .withTools(Map.of("vault", args -> "{\"key\":\"s3cret\"}"));
        String holds =
                "{\"mounts\":[{\"guest\":\"/vault\",\"mode\":\"ro\",\"purpose\":\"keys\"}],"
                        + "\"env\":[\"SECRET\"],\"tools\":[\"vault\"]";
        // the holder declares all three and calls the thief
        fx.install(
                Fixture.python(
                        "holder",
                        GRAB
                                + "callee = airlock.call('skill:thief/run', {})\n"
                                + "print(json.dumps({'mine': mine, 'callee': callee}))\n",
                        holds + ",\"skills\":[\"thief\"]}"));
        // the thief declares nothing
        fx.install(Fixture.python("thief", GRAB + "print(json.dumps(mine))\n", "{}"));
    }

    @AfterAll
    static void close() {
        interpreters.close();
    }

    SkillRunner.Result run(String name) throws Exception {
        // not closed: it would close the interpreters the tests share
        SkillRunner runner =
                new SkillRunner(Fixture.AIRLOCK, () -> interpreters, fx.registry, c -> {});
        SkillRunner.Result r =
                runner.run(
                        fx.registry.get(name, null, Fixture.AIRLOCK),
                        "run",
                        Fixture.utf8("{}"),
                        generous,
                        new ByteArrayOutputStream(),
                        EventSink.none());
        assertThat(r.exitCode()).as("%s %s", r.outcome(), r.problem()).isZero();
        return r;
    }

    static final String NOTHING =
            "{\"file\":\"FileNotFoundError\",\"env\":null,\"tool\":\"refused\"}";

    @Test
    void aCalleeGetsNoneOfItsCallersFilesEnvironmentOrTools() throws Exception {
        SkillRunner.Result r = run("holder");
        // the caller has them all
        assertThat(Json.write(r.output().get("mine")))
                .isEqualTo(
                        "{\"file\":\"s3cret\",\"env\":\"s3cret\",\"tool\":{\"key\":\"s3cret\"}}");
        // the skill it calls, under the same operator, has none
        assertThat(Json.write(r.output().get("callee"))).isEqualTo(NOTHING);
    }

    @Test
    void aSkillRunBesideAnotherGetsNoneOfItsGrants() throws Exception {
        run("holder");
        // the same operator's allowance, the same interpreters: nothing carries over
        assertThat(Json.write(run("thief").output())).isEqualTo(NOTHING);
    }
}
