package dev.airlock.cli;

import dev.airlock.core.Stdio;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process and keeps everything it printed. */
final class CliHarness {
    private CliHarness() {}

    record Result(int code, String out, String err, String guestOut, String guestErr) {}

    /**
     * A file of the one skill installed in {@code dataDir}, as kept on disk: in the cached copy of
     * its files ({@code skills/cache/DIGEST/}).
     */
    static java.nio.file.Path cached(java.nio.file.Path dataDir, String file)
            throws java.io.IOException {
        try (var s = java.nio.file.Files.list(dataDir.resolve("skills/cache"))) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .reduce(
                            (a, b) -> {
                                throw new IllegalStateException("more than one skill cached");
                            })
                    .orElseThrow()
                    .resolve(file);
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream gOut = new ByteArrayOutputStream();
        ByteArrayOutputStream gErr = new ByteArrayOutputStream();
        int code =
                Main.commandLine(new PrintWriter(out), new PrintWriter(err), Stdio.of(gOut, gErr))
                        .execute(args);
        return new Result(
                code,
                out.toString(),
                err.toString(),
                gOut.toString(StandardCharsets.UTF_8),
                gErr.toString(StandardCharsets.UTF_8));
    }
}
