package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Stdio;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hidden command the launcher runs to make its class-data-sharing archive. */
class CdsTrainingTest {
    private static long leftovers() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("airlock-cds-training"))
                    .count();
        }
    }

    @Test
    void runsRunPyAndJsSilentlyAndCleansUp(@TempDir Path tmp) throws IOException {
        long before = leftovers();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream guest = new ByteArrayOutputStream();
        Path directives = tmp.resolve("jit.json");
        System.setProperty(CdsTrainingCommand.DIRECTIVES_OUT, directives.toString());
        int code;
        try {
            code =
                    Main.commandLine(
                                    new PrintWriter(out),
                                    new PrintWriter(err),
                                    Stdio.of(guest, guest))
                            .execute("cds-training");
        } finally {
            System.clearProperty(CdsTrainingCommand.DIRECTIVES_OUT);
        }
        assertThat(code).isZero();
        // the compiler directives the interpreters asked for, for the launcher's next starts:
        // their dispatch functions kept from C1, and the methods named
        assertThat(Files.readString(directives))
                .startsWith("[{ match: [")
                .contains("c1: { Exclude: true }")
                .contains("MaxNodeLimit");
        assertThat(Files.readString(tmp.resolve("jit.json.covered")))
                .contains("com/dylibso/chicory/$gen/")
                .contains(".func_");
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEmpty();
        assertThat(guest.size()).isZero();
        assertThat(leftovers()).isEqualTo(before);
    }

    /** The module cache entries a training named by {@code args} used, from the entries log. */
    private static List<String> entriesUsed(Path log, String... args) throws IOException {
        Files.deleteIfExists(log);
        System.setProperty("airlock.cache.entriesLog", log.toString());
        int code;
        try {
            PrintWriter none = new PrintWriter(new StringWriter());
            code = Main.commandLine(none, none, Stdio.discard()).execute(args);
        } finally {
            System.clearProperty("airlock.cache.entriesLog");
        }
        assertThat(code).as("exit code of %s", List.of(args)).isZero();
        return Files.exists(log) ? Files.readAllLines(log).stream().distinct().toList() : List.of();
    }

    @Test
    void trainsOnlyTheCommandsNamed(@TempDir Path tmp) throws IOException {
        Path log = tmp.resolve("entries");
        // the launcher's archive for run holds no interpreter, js's no CPython
        List<String> run = entriesUsed(log, "cds-training", "run");
        List<String> js = entriesUsed(log, "cds-training", "js");
        assertThat(run).hasSize(1);
        assertThat(js).hasSize(1).doesNotContainAnyElementsOf(run);
        assertThat(entriesUsed(log, "cds-training", "run", "js"))
                .containsExactlyInAnyOrderElementsOf(
                        Stream.concat(run.stream(), js.stream()).toList());
    }

    @Test
    void refusesAnUnknownCommand() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Main.commandLine(new PrintWriter(out), new PrintWriter(err), Stdio.discard())
                        .execute("cds-training", "serve");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("serve").doesNotContain("Exception");
    }

    @Test
    void isHiddenFromHelp() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Main.commandLine(new PrintWriter(out), new PrintWriter(err), Stdio.discard())
                .execute("--help");
        assertThat(out.toString()).contains("run").doesNotContain("cds-training");
    }
}
