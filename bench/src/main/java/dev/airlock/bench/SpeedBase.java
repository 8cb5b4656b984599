package dev.airlock.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What every section of {@link SpeedCompare} shares: its settings, the references, the processes.
 */
abstract class SpeedBase {
    static final Pattern MS = Pattern.compile("ms=([0-9.eE+-]+)");
    static final Pattern JSON_MS = Pattern.compile("\"ms\"\\s*:\\s*([0-9.eE+-]+)");
    static final Pattern JSON_EXIT = Pattern.compile("\"exit\"\\s*:\\s*(-?[0-9]+)");
    static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(5);

    int iterations = 3;
    int warmup = 1;

    /**
     * Fresh processes of a native reference per pair in --python and --javascript (--ref-runs, else
     * 1): the pair's reference is their median. A native process's time depends on where its stack
     * and heap land (bench/README, session 51), so more than one samples that placement.
     */
    int refRuns = 1;

    /** Warm-up requests per program in --server: --warmup if given, else 3 (see README). */
    int serverWarmup = 3;

    Pattern filter;
    double maxSeconds = 60;
    final Path root = Path.of("").toAbsolutePath();
    Path sightglassDir = Path.of("bench/target/testdata/sightglass");
    Path tmp;

    // the references; null when missing
    String python3;
    String node;
    String qjs;
    String wasmtimePython;

    /** Whether any measurement failed, shared by the sections of one run. */
    final AtomicBoolean failures;

    SpeedBase() {
        failures = new AtomicBoolean();
    }

    /** A section with {@code o}'s settings and references. */
    SpeedBase(SpeedBase o) {
        iterations = o.iterations;
        warmup = o.warmup;
        serverWarmup = o.serverWarmup;
        filter = o.filter;
        maxSeconds = o.maxSeconds;
        sightglassDir = o.sightglassDir;
        tmp = o.tmp;
        python3 = o.python3;
        node = o.node;
        qjs = o.qjs;
        wasmtimePython = o.wasmtimePython;
        failures = o.failures;
    }

    void fail() {
        failures.set(true);
    }

    String version(String bin, String... args) {
        if (bin == null) {
            return "";
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(bin);
        cmd.addAll(List.of(args));
        ProcResult r = plain(cmd);
        return (r.out() + r.err()).strip().replace('\n', ' ');
    }

    static String onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p.toString();
            }
        }
        return null;
    }

    List<Path> programs(String dir, String ext) throws IOException {
        return programs(root, dir, ext, filter);
    }

    /**
     * The programs of {@code bench/programs/DIR} under {@code root} ending in {@code ext} whose
     * name {@code filter} finds (all when null), sorted.
     */
    static List<Path> programs(Path root, String dir, String ext, Pattern filter)
            throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("bench/programs").resolve(dir))) {
            return s.filter(p -> p.getFileName().toString().endsWith(ext))
                    .filter(
                            p ->
                                    filter == null
                                            || filter.matcher(p.getFileName().toString()).find())
                    .sorted()
                    .toList();
        }
    }

    static double ms(String out) {
        Matcher m = MS.matcher(out);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    // ---------------------------------------------------------------- processes

    record ProcResult(int exit, double wallMs, double cpuMs, String out, String err) {}

    /** Runs a command from the repository root, stdin empty; wall measured here, no CPU. */
    ProcResult plain(List<String> cmd) {
        try {
            Path out = Files.createTempFile("speed", ".out");
            Path err = Files.createTempFile("speed", ".err");
            try {
                ProcessBuilder pb =
                        new ProcessBuilder(cmd)
                                .directory(root.toFile())
                                .redirectOutput(out.toFile())
                                .redirectError(err.toFile())
                                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                if (tmp != null) {
                    // ./airlock's store and keys: a private one, created by the first (warm-up)
                    // run, not the shared ~/.airlock (which another version may have upgraded)
                    pb.environment().put("AIRLOCK_DATA", tmp.resolve("cli-data").toString());
                }
                long t0 = System.nanoTime();
                Process p = pb.start();
                if (!p.waitFor(PROCESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return new ProcResult(-1, Double.NaN, Double.NaN, "", "timed out");
                }
                double wall = (System.nanoTime() - t0) / 1e6;
                return new ProcResult(
                        p.exitValue(),
                        wall,
                        Double.NaN,
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return new ProcResult(-1, Double.NaN, Double.NaN, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProcResult(-1, Double.NaN, Double.NaN, "", "interrupted");
        }
    }

    /**
     * {@code ./airlock ARGS...} in a process of its own ({@code AIRLOCK_RESIDENT=0}), not through
     * the resident process.
     */
    List<String> ownProcess(String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "AIRLOCK_RESIDENT=0"));
        cmd.add(root.resolve("airlock").toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs a command under {@code bench/tools/proctime.py}: wall around spawn and wait, CPU from
     * wait4 (the process and the children it waited for). A failure gives NaN and a note.
     */
    ProcResult timed(List<String> cmd, List<String> notes, String who) {
        Path json = tmp.resolve("proctime.json");
        List<String> full = new ArrayList<>();
        full.add(python3);
        full.add(root.resolve("bench/tools/proctime.py").toString());
        full.add(json.toString());
        full.addAll(cmd);
        ProcResult r = plain(full);
        try {
            String j = Files.readString(json);
            Files.delete(json);
            JsonNode n = new ObjectMapper().readTree(j);
            int exit = n.path("exit").asInt(-1);
            if (exit != 0) {
                fail();
                notes.add(who + " failed: exit " + exit + " " + abbreviate(r.out() + r.err()));
                return new ProcResult(exit, Double.NaN, Double.NaN, r.out(), r.err());
            }
            return new ProcResult(
                    0, n.path("wall_ms").asDouble(), n.path("cpu_ms").asDouble(), r.out(), r.err());
        } catch (IOException e) {
            fail();
            notes.add(who + " could not be timed: " + abbreviate(r.out() + r.err()));
            return new ProcResult(-1, Double.NaN, Double.NaN, r.out(), r.err());
        }
    }

    static String abbreviate(String s) {
        String t = s.strip().replace('\n', ' ');
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted((x, y) -> y.getNameCount() - x.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
