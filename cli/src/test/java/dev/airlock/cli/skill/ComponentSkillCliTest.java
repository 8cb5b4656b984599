package dev.airlock.cli.skill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.cli.CliHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code airlock skill new --kind component --from}: a skill made from a component, its tools the
 * exported functions with WIT-derived schemas, signed, installed and run.
 */
class ComponentSkillCliTest {
    static final String SECRET =
            "../components/src/test/resources/dev/airlock/components/compose/secret.wasm";

    @TempDir Path tmp;

    String data() {
        return "--data=" + tmp.resolve("data");
    }

    @Test
    void aComponentBecomesASkillWhoseToolsAreItsFunctions() throws Exception {
        CliHarness.ok("skill", "keys", "create", "acme", "--trust", data());
        Path dir = tmp.resolve("texts");
        CliHarness.ok(
                "skill",
                "new",
                "texts",
                "--kind",
                "component",
                "--from",
                SECRET,
                "--publisher",
                "acme",
                "--dir",
                dir.toString());
        String manifest = Files.readString(dir.resolve("skill.json"));
        assertThat(manifest)
                .contains("\"name\" : \"upper\"", "\"name\" : \"count-env\"")
                .contains("\"kind\" : \"component\"")
                // derived from upper(s: string) -> string
                .contains("\"required\" : [ \"s\" ]");
        CliHarness.ok("skill", "sign", dir.toString(), "--key", "acme", data());
        CliHarness.ok("skill", "install", dir.toString(), data());
        CliHarness.Result run =
                CliHarness.ok(
                        "skill",
                        "run",
                        "texts",
                        "upper",
                        "--input",
                        "{\"s\": \"made from wit\"}",
                        "--no-store",
                        data());
        assertThat(run.guestOut()).isEqualTo("\"MADE FROM WIT\"\n");
        // the schema derived from WIT refuses what the function cannot take
        CliHarness.Result bad =
                CliHarness.run(
                        "skill",
                        "run",
                        "texts",
                        "upper",
                        "--input",
                        "{\"s\": 1}",
                        "--no-store",
                        data());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("expected string");
        assertThat(
                        CliHarness.run(
                                        "skill",
                                        "new",
                                        "x",
                                        "--kind",
                                        "component",
                                        "--dir",
                                        tmp.resolve("x").toString())
                                .code())
                .isEqualTo(2);
    }
}
