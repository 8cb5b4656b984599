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
