package dev.airlock.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The CPU time of the resident process ({@code dev.airlock.cli.resident.ResidentMain}), user and
 * system, all its threads (those that ended too), from {@code /proc/PID/stat} in the kernel's clock
 * ticks, so that runs served by it are charged what they cost there too.
 */
final class ResidentCpu {
    private static final String MAIN = "dev.airlock.cli.resident.ResidentMain";

    private final Path proc;

    private ResidentCpu(Path proc) {
        this.proc = proc;
    }

    /**
     * The resident process once its warm-up is over (its CPU time grows by less than 20 ms in a
     * second), or null (with a note) when there is none within two minutes.
     */
    static ResidentCpu awaitWarm(List<String> notes) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        ResidentCpu r = null;
        long last = -1;
        while (System.nanoTime() < deadline) {
            if (r == null) {
                r = find();
            }
            if (r != null) {
                long now = r.nanos();
                if (last >= 0 && now - last < 20_000_000L) {
                    return r;
                }
                last = now;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        notes.add("no warm resident process found: its CPU is not counted");
        return null;
    }

    private static ResidentCpu find() {
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            for (Path p : all.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd =
                            new String(
                                    Files.readAllBytes(p.resolve("cmdline")),
                                    StandardCharsets.UTF_8);
                    if (cmd.contains(MAIN)) {
                        return new ResidentCpu(p);
                    }
                } catch (IOException ignored) {
                    // gone, or not ours
                }
            }
        } catch (IOException ignored) {
            // no /proc
        }
        return null;
    }

    /** CPU time so far in nanoseconds (0 once the process is gone). */
    long nanos() {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // after the command's name, in parentheses that may hold spaces: fields 3 onwards
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
