package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Stdio;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the command line in-process, as {@code airlock ARGS...} would, and keeps everything it
 * printed: its own output and errors (the writers given to {@link Main#commandLine}) and the
 * guest's stdout and stderr. Each call builds a fresh command line, so runs share nothing but what
 * they leave on disk.
 */
public final class CliHarness {
    private CliHarness() {}

    /**
     * What one run left: its exit code, what the command line printed to its output and error
     * writers, and the guest's stdout and stderr as bytes (empty when the guest's streams were
     * given to {@link #run(Stdio, String...)} instead).
     */
    public record Result(
            int code, String out, String err, byte[] guestOutBytes, byte[] guestErrBytes) {
        /** The guest's stdout read as UTF-8. */
        public String guestOut() {
            return new String(guestOutBytes, StandardCharsets.UTF_8);
        }

        /** The guest's stderr read as UTF-8. */
        public String guestErr() {
            return new String(guestErrBytes, StandardCharsets.UTF_8);
        }
    }

    /** Runs {@code airlock ARGS...}, keeping the guest's output. */
    public static Result run(String... args) {
        return run(List.of(), args);
    }

    /**
     * Runs {@code airlock FIRST... REST...}: for tests whose every run starts with the same command
     * and options ({@code py --no-store}, say), keeping the guest's output.
     */
    public static Result run(List<String> first, String... rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(Arrays.asList(rest));
        ByteArrayOutputStream gOut = new ByteArrayOutputStream();
        ByteArrayOutputStream gErr = new ByteArrayOutputStream();
        return execute(Stdio.of(gOut, gErr), all.toArray(new String[0]), gOut, gErr);
    }

    /**
     * Runs {@code airlock ARGS...} with the guest's stdout and stderr going to {@code guest}
     * (streams that fail, say); the result's guest bytes are then empty.
     */
    public static Result run(Stdio guest, String... args) {
        return execute(guest, args, new ByteArrayOutputStream(), new ByteArrayOutputStream());
    }

    /**
     * Runs {@code airlock ARGS...} and asserts it exited 0, showing what it and the guest printed
     * to stderr (and its stdout) when it did not.
     */
    public static Result ok(String... args) {
        Result r = run(args);
        assertThat(r.code()).as("%s%s%s", r.out(), r.err(), r.guestErr()).isZero();
        return r;
    }

    /** Asserts a refusal: exit {@code code}, one line on stderr naming it, no Java in it. */
    public static void refused(Result r, int code, String expected) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(code);
        assertThat(r.err().strip()).startsWith("airlock: ").contains(expected).doesNotContain("\n");
        assertThat(r.err()).doesNotContain("Exception", "java.", "dev.airlock", "\tat ");
    }

    private static Result execute(
            Stdio guest, String[] args, ByteArrayOutputStream gOut, ByteArrayOutputStream gErr) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Main.commandLine(new PrintWriter(out), new PrintWriter(err), guest).execute(args);
        return new Result(
                code, out.toString(), err.toString(), gOut.toByteArray(), gErr.toByteArray());
    }

    /**
     * A file of the one skill installed in {@code dataDir}, as kept on disk: in the cached copy of
     * its files ({@code skills/cache/DIGEST/}).
     */
    public static Path cached(Path dataDir, String file) throws IOException {
        try (var s = Files.list(dataDir.resolve("skills/cache"))) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .reduce(
                            (a, b) -> {
                                throw new IllegalStateException("more than one skill cached");
                            })
                    .orElseThrow()
                    .resolve(file);
        }
    }
}
