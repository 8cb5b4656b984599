package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.lang.Language;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The help texts, against golden files in {@code src/test/resources/golden/} (after a deliberate
 * change, rewrite them with {@code -Dairlock.golden.update=true} and review the difference), and
 * the rules every command's help follows.
 */
class HelpTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    /** The golden file's text, or, with the update property, the new text written there. */
    private static String golden(String name, String actual) throws IOException {
        if (Boolean.getBoolean("airlock.golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(GOLDEN.resolve(name), actual);
            return actual;
        }
        try (InputStream in = HelpTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in)
                    .as("golden file " + name + " (make it with -Dairlock.golden.update=true)")
                    .isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void airlockAloneListsTheCommandsAndIsAUsageError() throws IOException {
        CliHarness.Result r = CliHarness.run();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo(golden("airlock.txt", r.out()));
        for (String command :
                List.of(
                        "run",
                        "py",
                        "js",
                        "inspect",
                        "call",
                        "compose",
                        "audit",
                        "serve",
                        "mcp",
                        "keys",
                        "tenants",
                        "skill",
                        "compile",
                        "doctor",
                        "completion")) {
            assertThat(r.out()).containsPattern("(?m)^  " + command + " +[A-Z]");
        }
        assertThat(r.out()).doesNotContain("cds-training");
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "py", "js", "inspect", "call"})
    void helpMatchesItsGoldenFile(String command) throws IOException {
        CliHarness.Result r = CliHarness.run(command, "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(golden(command + ".txt", r.out()));
        assertThat(r.out()).contains("Examples:\n  airlock " + command + " ");
    }

    @Test
    void everyCommandShowsExamples() {
        CommandLine root =
                Main.commandLine(
                        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        for (CommandLine sub : root.getSubcommands().values()) {
            // skill's help is being reworked on another branch; its examples come with that
            if (!sub.getCommandSpec().usageMessage().hidden()
                    && !List.of("help", "skill").contains(sub.getCommandName())) {
                assertThat(sub.getUsageMessage())
                        .as(sub.getCommandName())
                        .containsPattern("(?m)^Examples:\n  (airlock|source|AIRLOCK_)");
            }
        }
    }

    @Test
    void interpretersListNoOptionThatOnlyModulesHave() {
        for (String command : List.of("py", "js")) {
            String help = CliHarness.run(command, "--help").out();
            for (String name : List.of("timeout", "memory", "mount", "stdin", "report")) {
                assertThat(help).containsPattern(option(name));
            }
            assertThat(help)
                    .doesNotContainPattern(option("fuel|deterministic|nn-[a-z-]+|max-table"));
        }
        assertThat(CliHarness.run("py", "--help").out()).containsPattern(option("packages"));
        assertThat(CliHarness.run("js", "--help").out()).doesNotContain("--packages");
        String inspect = CliHarness.run("inspect", "--help").out();
        for (String name : List.of("memory", "fuel", "nn-model", "max-table", "clock")) {
            assertThat(inspect).containsPattern(option(name));
        }
        assertThat(inspect).doesNotContainPattern(option("stdin|timeout|max-output|report"));
    }

    /** An option's line in a help's option list. */
    private static String option(String names) {
        return "(?m)^ {2,6}(-\\w, )?--(" + names + ")\\b";
    }

    @Test
    void everyCommandListGivesWholeSentences() {
        CommandLine root =
                Main.commandLine(
                        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<CommandLine> parents = new ArrayList<>();
        collectParents(root, parents);
        assertThat(parents).hasSizeGreaterThan(3);
        for (CommandLine parent : parents) {
            for (CommandLine sub : parent.getSubcommands().values()) {
                String summary = HelpStyle.summary(sub.getCommandSpec().usageMessage());
                assertThat(summary)
                        .as(sub.getCommandSpec().qualifiedName())
                        .isNotBlank()
                        .endsWith(".");
            }
            String usage = parent.getUsageMessage().replaceAll("\\s+", " ");
            for (CommandLine sub : parent.getSubcommands().values()) {
                if (!sub.getCommandSpec().usageMessage().hidden()) {
                    assertThat(usage)
                            .contains(
                                    " "
                                            + sub.getCommandName()
                                            + " "
                                            + HelpStyle.summary(
                                                    sub.getCommandSpec().usageMessage()));
                }
            }
        }
    }

    private static void collectParents(CommandLine cl, List<CommandLine> parents) {
        if (!cl.getSubcommands().isEmpty()) {
            parents.add(cl);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getParent() == cl) {
                collectParents(sub, parents);
            }
        }
    }

    @Test
    void aUsageErrorNamesTheFullCommandPathInItsHint() {
        CliHarness.Result r = CliHarness.run("keys", "create", "--bogus");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).endsWith("Try 'airlock keys create --help' for more information.\n");
        r = CliHarness.run("--bogus");
        assertThat(r.err()).endsWith("Try 'airlock --help' for more information.\n");
    }

    @Test
    void paragraphsAreJoinedAndExamplesKept() {
        assertThat(HelpStyle.paragraphs(new String[] {"One", "two.", "", "  $ x", "Three."}))
                .containsExactly("One two.", "", "  $ x", "Three.");
    }

    @Test
    void versionNamesTheEngineJavaAndInterpreters() {
        CliHarness.Result r = CliHarness.run("--version");
        assertThat(r.code()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("airlock ");
        assertThat(lines.get(1)).matches("engine: +Chicory \\d+\\.\\d+\\.\\d+.*");
        assertThat(lines.get(2)).startsWith("java:").contains(Runtime.version().toString());
        assertThat(lines.get(3)).isEqualTo("python:  " + Language.PYTHON.runtime());
        assertThat(lines.get(4)).isEqualTo("js:      " + Language.JAVASCRIPT.runtime());
    }
}
