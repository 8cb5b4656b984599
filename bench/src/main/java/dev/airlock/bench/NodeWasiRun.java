package dev.airlock.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of a Sightglass benchmark in Node's WASI, the reference engine of {@link
 * SightglassCompare}: {@code node sightglass-node-run.mjs x.wasm OUTDIR}, whose JSON line gives the
 * time between {@code bench.start} and {@code bench.end} and the guest's exit code.
 *
 * @param ms the measured time, NaN when the run failed
 * @param problem why it failed, empty when it did not
 */
record NodeWasiRun(double ms, String problem) {
    private static final Pattern MS = Pattern.compile("\"ms\"\\s*:\\s*([0-9.eE+-]+)");
    private static final Pattern EXIT = Pattern.compile("\"exit\"\\s*:\\s*(-?[0-9]+)");

    /**
     * Runs {@code b} with {@code node} and its runner {@code script}; output goes to {@code
     * outDir}.
     */
    static NodeWasiRun run(String node, Path script, SightglassBench b, Path outDir)
            throws IOException {
        ProcessBuilder pb =
                new ProcessBuilder(
                        node,
                        script.toAbsolutePath().toString(),
                        b.wasm().toAbsolutePath().toString(),
                        outDir.toAbsolutePath().toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String stdout;
        try (var in = p.getInputStream()) {
            stdout = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new NodeWasiRun(Double.NaN, "timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new NodeWasiRun(Double.NaN, "interrupted");
        }
        Matcher ms = MS.matcher(stdout);
        Matcher exit = EXIT.matcher(stdout);
        if (p.exitValue() != 0 || !ms.find()) {
            return new NodeWasiRun(
                    Double.NaN, "exit " + p.exitValue() + ", output: " + stdout.strip());
        }
        if (exit.find() && !exit.group(1).equals("0")) {
            return new NodeWasiRun(Double.NaN, "guest exit code " + exit.group(1));
        }
        return new NodeWasiRun(Double.parseDouble(ms.group(1)), "");
    }
}
