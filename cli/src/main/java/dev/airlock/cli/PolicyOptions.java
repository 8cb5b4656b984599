package dev.airlock.cli;

import dev.airlock.core.ClockMode;
import dev.airlock.core.Durations;
import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.Size;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options that map onto a {@link Policy}, shared by {@code run} and {@code inspect}. */
final class PolicyOptions {
    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description = "Wall-time limit, host calls included (ms, s, m). Default: 10s.")
    String timeout;

    @Option(
            names = "--memory",
            paramLabel = "SIZE",
            description = "Linear memory limit (KiB, MiB, GiB). Default: 256MiB.")
    String memory;

    @Option(
            names = "--max-output",
            paramLabel = "SIZE",
            description = "stdout+stderr limit. Default: 16MiB.")
    String maxOutput;

    @Option(
            names = "--max-table",
            paramLabel = "N",
            description = "Table size limit, in elements. Default: 100000.")
    Integer maxTable;

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
            description = "Guest thread stack; deeper recursion is a stack limit. Default: 16MiB.")
    String stack;

    @Option(
            names = "--mount",
            paramLabel = "HOST:GUEST[:ro|:rw]",
            description =
                    "Copy a host folder into the guest's in-memory filesystem (default ro). With :rw,"
                            + " changes are copied back after a run that ended by itself.")
    List<String> mounts = new ArrayList<>();

    @Option(
            names = "--env",
            paramLabel = "K=V",
            description = "Grant one environment variable (repeatable). Default: none.")
    List<String> env = new ArrayList<>();

    @Option(
            names = "--clock",
            paramLabel = "MODE",
            description = "real (ms resolution), frozen or deny. Default: real.")
    String clock = "real";

    @Option(
            names = "--random",
            paramLabel = "MODE",
            description = "real, seed:N or deny. Default: real.")
    String random = "real";

    @Option(
            names = "--stdin",
            paramLabel = "FILE",
            description = "File to serve as the guest's stdin. Default: empty.")
    Path stdin;

    /** Builds the policy; throws IllegalArgumentException with a user-facing message. */
    Policy toPolicy(String programName, List<String> args) {
        Limits.Builder l = Limits.builder();
        if (timeout != null) {
            l.timeout(Durations.parse(timeout));
        }
        if (memory != null) {
            long bytes = Size.parse(memory);
            if (bytes % Limits.PAGE != 0) {
                throw new IllegalArgumentException(
                        "--memory must be a multiple of 64KiB: " + memory);
            }
            l.memoryBytes(bytes);
        }
        if (maxOutput != null) {
            l.maxOutputBytes(Size.parse(maxOutput));
        }
        if (maxTable != null) {
            l.tableElements(maxTable);
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
        Policy.Builder p =
                Policy.builder()
                        .programName(programName)
                        .args(args)
                        .limits(l.build())
                        .clock(clockMode(clock))
                        .random(RandomMode.parse(random));
        for (String e : env) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--env expects K=V: " + e);
            }
            p.env(e.substring(0, eq), e.substring(eq + 1));
        }
        for (String m : mounts) {
            Mount mount = Mount.parse(m);
            if (!Files.isDirectory(mount.host())) {
                throw new IllegalArgumentException("--mount: not a directory: " + mount.host());
            }
            p.mount(mount);
        }
        if (stdin != null) {
            try {
                p.stdin(Files.readAllBytes(stdin));
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "--stdin: cannot read " + stdin + ": " + e.getMessage());
            }
        }
        return p.build();
    }

    private static ClockMode clockMode(String s) {
        try {
            return ClockMode.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid clock mode '" + s + "' (use real, frozen or deny)");
        }
    }
}
