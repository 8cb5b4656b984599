package dev.airlock.cli.options;

import dev.airlock.core.Durations;
import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.core.Size;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The limits and input of a run, for {@code run}, {@code py} and {@code js} (not inspect). */
public final class RunOptions implements PolicyOptions.Part {
    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description = "Wall-time limit, host calls included (ms, s, m). Default: 10s.")
    String timeout;

    @Option(
            names = "--max-output",
            paramLabel = "SIZE",
            description = "stdout+stderr limit. Default: 16MiB.")
    String maxOutput;

    @Option(
            names = "--fs-quota",
            paramLabel = "SIZE",
            description = "Virtual filesystem byte quota. Default: 128MiB.")
    String fsQuota;

    @Option(
            names = "--fs-files",
            paramLabel = "N",
            description = "Virtual filesystem file-count quota. Default: 10000.")
    Integer fsFiles;

    @Option(
            names = "--stack",
            paramLabel = "SIZE",
            description = "Guest thread stack; deeper recursion is a stack limit. Default: 64MiB.")
    String stack;

    @Option(
            names = "--stdin",
            paramLabel = "FILE",
            description =
                    "File to serve as the guest's stdin, read as the guest reads it, up to 64 MiB"
                            + " (then end of file). Default: empty.")
    Path stdin;

    @Override
    public void limits(Limits.Builder l) {
        if (timeout != null) {
            l.timeout(Durations.parse(timeout));
        }
        if (maxOutput != null) {
            l.maxOutputBytes(Size.parse(maxOutput));
        }
        if (fsQuota != null) {
            l.fsQuotaBytes(Size.parse(fsQuota));
        }
        if (fsFiles != null) {
            l.fsQuotaFiles(fsFiles);
        }
        if (stack != null) {
            l.stackBytes(Size.parse(stack));
        }
    }

    @Override
    public void grants(Policy.Builder p, PolicyOptions shared) {
        if (stdin != null) {
            // streamed as the guest reads it: a device or an endless file is never loaded whole
            if (!Files.isReadable(stdin) || Files.isDirectory(stdin)) {
                throw new IllegalArgumentException("--stdin: cannot read " + stdin);
            }
            p.stdin(stdin);
        }
    }
}
