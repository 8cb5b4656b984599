package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Stdio;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code main} builds only the command its first argument names ({@link Main#forArgs}): every
 * command line must read and answer exactly as with the whole tree.
 */
class CommandTreeTest {
    private record Answer(int code, String out, String err) {}

    private static Answer answer(boolean lazy, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err);
        Stdio guest = Stdio.of(new ByteArrayOutputStream(), new ByteArrayOutputStream());
        CommandLine cl = lazy ? Main.forArgs(o, e, guest, args) : Main.commandLine(o, e, guest);
        int code = cl.execute(args);
        return new Answer(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
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
                "box",
                "doctor",
                "completion",
                "help"
            })
    void everyCommandAnswersAsTheWholeTreeDoes(String command) {
        for (List<String> args :
                List.of(
                        List.of(command, "--help"),
                        List.of(command, "--no-such-option"),
                        List.of(command, "no-such-subcommand", "x"))) {
            String[] a = args.toArray(new String[0]);
            assertThat(answer(true, a)).as(String.join(" ", args)).isEqualTo(answer(false, a));
        }
    }

    @Test
    void withoutAKnownCommandTheWholeTreeIsBuilt() {
        for (String[] args :
                List.of(
                        new String[0],
                        new String[] {"--help"},
                        new String[] {"--version"},
                        new String[] {"nope"},
                        new String[] {"help", "run"})) {
            Answer lazy = answer(true, args);
            assertThat(lazy).isEqualTo(answer(false, args));
        }
        assertThat(answer(true).out()).contains("  run ", "  box ", "  doctor ");
    }

    @Test
    void aNamedCommandIsBuiltAlone() {
        PrintWriter none = new PrintWriter(StringWriter.nullWriter());
        CommandLine cl = Main.forArgs(none, none, Stdio.discard(), new String[] {"run", "x.wasm"});
        assertThat(cl.getSubcommands()).containsOnlyKeys("run");
        assertThat(Main.commandClass("nope")).isNull();
    }
}
