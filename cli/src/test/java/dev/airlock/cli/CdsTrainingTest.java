package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Stdio;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The hidden command the launcher runs to make its class-data-sharing archive. */
class CdsTrainingTest {
    private static long leftovers() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("airlock-cds-training"))
                    .count();
        }
    }

    @Test
    void runsRunPyAndJsSilentlyAndCleansUp() throws IOException {
        long before = leftovers();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream guest = new ByteArrayOutputStream();
        int code =
                Main.commandLine(new PrintWriter(out), new PrintWriter(err), Stdio.of(guest, guest))
                        .execute("cds-training");
        assertThat(code).isZero();
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEmpty();
        assertThat(guest.size()).isZero();
        assertThat(leftovers()).isEqualTo(before);
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
