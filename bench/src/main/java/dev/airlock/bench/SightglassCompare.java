package dev.airlock.bench;

import dev.airlock.core.Airlock;
import dev.airlock.core.ClockMode;
import dev.airlock.core.Denial;
import dev.airlock.core.GuestModule;
import dev.airlock.core.HostImport;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.ModuleInfo;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Mount;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the Sightglass benchmarks of {@code testdata/sightglass} (unzipped by the build into {@code
 * bench/target/testdata/sightglass}) in Airlock and in Node's WASI (the reference engine) and
 * prints, for each, the median time between {@code bench.start} and {@code bench.end} in both and
 * their ratio.
 *
 * <p>Each benchmark runs with its own folder mounted read-only at {@code /} (none of them writes
 * files), argv[0] set to its file name, no environment. In Airlock the module is loaded once; one
 * warm-up run precedes the measured runs, all in this process. Node starts a fresh process for each
 * run ({@code node sightglass-node-run.mjs x.wasm OUTDIR}). Output is checked against the
 * benchmark's {@code .stdout.expected} (and {@code .stderr.expected}).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.airlock.bench.SightglassCompare \
 *     [--iterations N] [--filter REGEX] [--max-seconds S] [--no-node] [--fuel]
 *     [--sightglass DIR] [--node-script FILE] [--node BIN]
 * </pre>
 *
 * <p>With {@code --fuel}, Node is not run: each benchmark runs in Airlock unmetered and metered
 * (with an ample fuel budget, a frozen clock and seeded randomness), alternately in the same JVM
 * after one warm-up run of each, and the table gives both medians, the median of the per-pair
 * ratios (metered / unmetered) and the fuel used, which must be the same in every metered run. Each
 * benchmark gets a fresh JVM (with these JVM options) unless {@code --no-fork} is given.
 *
 * <p>With the system property {@code airlock.bench.each=true}, each benchmark's measured Airlock
 * runs are also printed one by one (standard error), to see its warm-up: the table's median alone
 * hides whether the first runs or the last ones are slow.
 *
 * <p>Paths default to {@code bench/target/testdata/sightglass} and {@code
 * bench/tools/sightglass-node-run.mjs}, relative to the working directory (the repository root).
 */
public final class SightglassCompare {
    private static final Pattern NODE_MS = Pattern.compile("\"ms\"\\s*:\\s*([0-9.eE+-]+)");

    /** Time limit of a measured Airlock run. */
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private static final Pattern NODE_EXIT = Pattern.compile("\"exit\"\\s*:\\s*(-?[0-9]+)");

    private int iterations = 5;
    private Pattern filter;
    private double maxSeconds = 60;
    private boolean node = true;
    private boolean fuel;
    private boolean fuelChild;
    private boolean fork = true;
    private int warmup = 3;
    private Path dir = Path.of("bench/target/testdata/sightglass");
    private Path nodeScript = Path.of("bench/tools/sightglass-node-run.mjs");
    private String nodeBin = "node";

    private SightglassCompare() {}

    /**
     * The benchmarks of {@code dir} matching {@code filter} (null: all), for {@link SpeedCompare}.
     */
    static SightglassCompare forSpeed(Path dir, Pattern filter, double maxSeconds) {
        SightglassCompare c = new SightglassCompare();
        c.dir = dir;
        c.filter = filter;
        c.maxSeconds = maxSeconds;
        c.node = false;
        return c;
    }

    public static void main(String[] args) throws Exception {
        SightglassCompare c = new SightglassCompare();
        try {
            c.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("sightglass: " + e.getMessage());
            usage();
            System.exit(2);
        }
        System.exit(c.runAll());
    }

    private static void usage() {
        System.err.println(
                "usage: SightglassCompare [--iterations N] [--filter REGEX] [--max-seconds S]"
                        + " [--no-node] [--fuel [--no-fork] [--warmup N]] [--sightglass DIR]"
                        + " [--node-script FILE] [--node BIN]");
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--iterations":
                    iterations = Integer.parseInt(value(args, ++i, a));
                    if (iterations < 1) {
                        throw new IllegalArgumentException("--iterations must be >= 1");
                    }
                    break;
                case "--filter":
                    filter = Pattern.compile(value(args, ++i, a));
                    break;
                case "--max-seconds":
                    maxSeconds = Double.parseDouble(value(args, ++i, a));
                    break;
                case "--no-node":
                    node = false;
                    break;
                case "--fuel":
                    fuel = true;
                    node = false;
                    break;
                case "--fuel-child":
                    fuelChild = true;
                    node = false;
                    break;
                case "--no-fork":
                    fork = false;
                    break;
                case "--warmup":
                    warmup = Integer.parseInt(value(args, ++i, a));
                    if (warmup < 1) {
                        throw new IllegalArgumentException("--warmup must be >= 1");
                    }
                    break;
                case "--sightglass":
                    dir = Path.of(value(args, ++i, a));
                    break;
                case "--node-script":
                    nodeScript = Path.of(value(args, ++i, a));
                    break;
                case "--node":
                    nodeBin = value(args, ++i, a);
                    break;
                case "-h":
                case "--help":
                    usage();
                    System.exit(0);
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument " + a);
            }
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** One benchmark: a module and the folder it runs in. */
    record Bench(String name, Path wasm) {
        Path folder() {
            return wasm.getParent();
        }

        String base() {
            String f = wasm.getFileName().toString();
            return f.substring(0, f.length() - ".wasm".length());
        }
    }

    /** The measurements of one benchmark. */
    private record Row(String name, double airlockMs, double nodeMs, String check, String note) {}

    List<Bench> discover() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no Sightglass folder at " + dir.toAbsolutePath());
        }
        List<Bench> all = new ArrayList<>();
        try (Stream<Path> folders = Files.list(dir)) {
            for (Path f : folders.sorted().toList()) {
                Path wasm = f.resolve("benchmark.wasm");
                if (Files.isRegularFile(wasm)) {
                    all.add(new Bench(f.getFileName().toString(), wasm));
                }
            }
        }
        Path shootout = dir.resolve("shootout");
        if (Files.isDirectory(shootout)) {
            try (Stream<Path> files = Files.list(shootout)) {
                for (Path w : files.sorted().toList()) {
                    String n = w.getFileName().toString();
                    if (n.startsWith("shootout-") && n.endsWith(".wasm")) {
                        all.add(new Bench(n.substring(0, n.length() - 5), w));
                    }
                }
            }
        }
        if (filter != null) {
            all.removeIf(b -> !filter.matcher(b.name()).find());
        }
        return all;
    }

    private int runAll() throws Exception {
        List<Bench> benches = discover();
        if (benches.isEmpty()) {
            System.err.println("sightglass: no benchmark matches");
            return 1;
        }
        if (fuelChild) {
            return FuelOverhead.child(this, benches);
        }
        if (fuel) {
            return FuelOverhead.run(this, benches);
        }
        if (node && !Files.isRegularFile(nodeScript)) {
            System.err.println("sightglass: no Node runner at " + nodeScript.toAbsolutePath());
            return 1;
        }
        System.out.printf(
                Locale.ROOT,
                "Sightglass: %d benchmark(s), %d iteration(s) each (Airlock after 1 warm-up run),"
                        + " skipping any whose warm-up takes over %.0f s%n",
                benches.size(),
                iterations,
                maxSeconds);
        Airlock airlock = Airlock.create();
        Path outDir = Files.createTempDirectory("sightglass-node");
        List<Row> rows = new ArrayList<>();
        boolean failed = false;
        for (Bench b : benches) {
            Row r = measure(airlock, b, outDir);
            rows.add(r);
            failed |= !r.check().equals("ok") && !r.check().equals("skipped");
            System.out.printf(
                    Locale.ROOT,
                    "  %-22s airlock %s ms, node %s ms, output %s%s%n",
                    r.name(),
                    fmt(r.airlockMs()),
                    fmt(r.nodeMs()),
                    r.check(),
                    r.note().isEmpty() ? "" : " (" + r.note() + ")");
        }
        deleteTree(outDir);
        printTable(rows);
        return failed ? 1 : 0;
    }

    private Row measure(Airlock airlock, Bench b, Path outDir) throws IOException {
        GuestModule module;
        try {
            module = airlock.load(b.wasm());
        } catch (ModuleRejectedException e) {
            return new Row(b.name(), Double.NaN, Double.NaN, "rejected", e.getMessage());
        }
        List<String> notes = new ArrayList<>();
        ModuleInfo info = airlock.inspect(module, Policy.defaults());
        if (!info.compiled()) {
            notes.add("runs in the interpreter: " + info.compileNote());
        } else if (!info.interpretedFunctions().isEmpty()) {
            notes.add(
                    info.interpretedFunctions().size()
                            + " of "
                            + info.functions()
                            + " functions left to the interpreter by the compiler");
        }
        // the guest's folder, read-only: none of the benchmarks writes files
        long w0 = System.nanoTime();
        Run warm = runAirlock(airlock, module, b, b.folder(), Mount.Mode.READ_ONLY, warmUpLimit());
        double warmSeconds = (System.nanoTime() - w0) / 1e9;
        return measure(
                airlock,
                module,
                b,
                b.folder(),
                Mount.Mode.READ_ONLY,
                warm,
                warmSeconds,
                outDir,
                notes);
    }

    private Row measure(
            Airlock airlock,
            GuestModule module,
            Bench b,
            Path folder,
            Mount.Mode mode,
            Run warm,
            double warmSeconds,
            Path outDir,
            List<String> notes)
            throws IOException {
        byte[] expectedOut = expected(b, "stdout");
        byte[] expectedErr = expected(b, "stderr");
        String check = "ok";
        if (warm.timedOut() && warmUpLimit().compareTo(TIMEOUT) < 0) {
            notes.add(
                    String.format(
                            Locale.ROOT,
                            "skipped: the warm-up run in Airlock went past %.0f s",
                            maxSeconds));
            return new Row(b.name(), Double.NaN, Double.NaN, "skipped", String.join("; ", notes));
        }
        if (!warm.problem().isEmpty()) {
            notes.add(warm.problem());
            return new Row(b.name(), Double.NaN, Double.NaN, "FAILED", String.join("; ", notes));
        }
        if (expectedOut != null && !Arrays.equals(expectedOut, warm.stdout())) {
            check = "STDOUT MISMATCH";
            notes.add(diff("stdout", expectedOut, warm.stdout()));
        }
        if (expectedErr != null && !Arrays.equals(expectedErr, warm.stderr())) {
            notes.add(diff("stderr", expectedErr, warm.stderr()));
        }
        if (warmSeconds > maxSeconds) {
            notes.add(
                    String.format(
                            Locale.ROOT,
                            "skipped: the warm-up run took %.1f s in Airlock (bench.start..end"
                                    + " %.0f ms)",
                            warmSeconds,
                            warm.ms()));
            return new Row(b.name(), Double.NaN, Double.NaN, "skipped", String.join("; ", notes));
        }
        double[] air = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            Run r = runAirlock(airlock, module, b, folder, mode, TIMEOUT);
            if (!r.problem().isEmpty()) {
                notes.add(r.problem());
                return new Row(
                        b.name(), Double.NaN, Double.NaN, "FAILED", String.join("; ", notes));
            }
            if (expectedOut != null && !Arrays.equals(expectedOut, r.stdout())) {
                check = "STDOUT MISMATCH";
            }
            air[i] = r.ms();
        }
        if (Boolean.getBoolean("airlock.bench.each")) {
            System.err.println(b.name() + " each run (ms): " + Arrays.toString(air));
        }
        double nodeMedian = Double.NaN;
        if (node) {
            double[] nd = new double[iterations];
            for (int i = 0; i < iterations && nd != null; i++) {
                NodeRun r = runNode(b, outDir);
                if (!r.problem().isEmpty()) {
                    notes.add("node: " + r.problem());
                    nd = null;
                } else {
                    nd[i] = r.ms();
                }
                if (i == 0 && expectedOut != null) {
                    Path actual = outDir.resolve(b.base() + ".stdout.actual");
                    if (Files.isRegularFile(actual)
                            && !Arrays.equals(expectedOut, Files.readAllBytes(actual))) {
                        notes.add("node's stdout differs from the expected file too");
                    }
                }
            }
            if (nd != null) {
                nodeMedian = median(nd);
            }
        }
        return new Row(b.name(), median(air), nodeMedian, check, String.join("; ", notes));
    }

    /** The result of one Airlock run. */
    record Run(
            double ms, byte[] stdout, byte[] stderr, String problem, boolean timedOut, long fuel) {}

    int iterations() {
        return iterations;
    }

    int warmup() {
        return warmup;
    }

    boolean forked() {
        return fork;
    }

    Path dir() {
        return dir;
    }

    double maxSeconds() {
        return maxSeconds;
    }

    /** The warm-up run is stopped at {@code --max-seconds}, and the benchmark then skipped. */
    Duration warmUpLimit() {
        Duration max = Duration.ofMillis((long) (maxSeconds * 1000));
        return max.compareTo(TIMEOUT) < 0 && !max.isZero() && !max.isNegative() ? max : TIMEOUT;
    }

    private Run runAirlock(
            Airlock airlock,
            GuestModule module,
            Bench b,
            Path folder,
            Mount.Mode mode,
            Duration timeout) {
        return runAirlock(airlock, module, b, folder, mode, timeout, -1);
    }

    /** One run; metered with {@code fuelBudget} unless it is negative. */
    Run runAirlock(
            Airlock airlock,
            GuestModule module,
            Bench b,
            Path folder,
            Mount.Mode mode,
            Duration timeout,
            long fuelBudget) {
        Limits.Builder limits =
                Limits.builder()
                        .timeout(timeout)
                        .memoryBytes(1L << 30)
                        .maxOutputBytes(64L << 20)
                        .fsQuotaBytes(512L << 20)
                        .stackBytes(64L << 20);
        if (fuelBudget >= 0) {
            limits.fuel(fuelBudget);
        }
        // written on the guest's thread
        AtomicLongArray marks = new AtomicLongArray(new long[] {-1, -1});
        Policy.Builder pb =
                Policy.builder()
                        .programName(b.base() + ".wasm")
                        .mount(new Mount(folder, "/", mode))
                        .grant(
                                HostImport.ofVoid(
                                        "bench", "start", () -> marks.set(0, System.nanoTime())))
                        .grant(
                                HostImport.ofVoid(
                                        "bench", "end", () -> marks.set(1, System.nanoTime())))
                        .limits(limits.build());
        if (fuel || fuelChild) {
            // the same work in every run (hash seeds, for one, come from random_get)
            pb.clock(ClockMode.FROZEN).random(RandomMode.seeded(0));
        }
        Policy policy = pb.build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Outcome o = airlock.run(module, policy, Stdio.of(out, err));
        List<String> problems = new ArrayList<>();
        if (o.status() != Status.OK) {
            problems.add(o.message());
            // denials explain a failure; after a success they are harmless (env.none, say)
            for (Denial d : o.denials()) {
                problems.add("denied " + d.call() + " (" + d.rule() + ")");
            }
        } else if (marks.get(0) < 0 || marks.get(1) < 0) {
            problems.add("bench.start/bench.end not both called");
        }
        return new Run(
                (marks.get(1) - marks.get(0)) / 1e6,
                out.toByteArray(),
                err.toByteArray(),
                String.join("; ", problems),
                o.limitKind() == LimitKind.TIME,
                o.usage().fuel());
    }

    /** The result of one Node run. */
    private record NodeRun(double ms, String problem) {}

    private NodeRun runNode(Bench b, Path outDir) throws IOException {
        ProcessBuilder pb =
                new ProcessBuilder(
                        nodeBin,
                        nodeScript.toAbsolutePath().toString(),
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
                return new NodeRun(Double.NaN, "timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new NodeRun(Double.NaN, "interrupted");
        }
        Matcher ms = NODE_MS.matcher(stdout);
        Matcher exit = NODE_EXIT.matcher(stdout);
        if (p.exitValue() != 0 || !ms.find()) {
            return new NodeRun(Double.NaN, "exit " + p.exitValue() + ", output: " + stdout.strip());
        }
        if (exit.find() && !exit.group(1).equals("0")) {
            return new NodeRun(Double.NaN, "guest exit code " + exit.group(1));
        }
        return new NodeRun(Double.parseDouble(ms.group(1)), "");
    }

    /** {@code <base>.X.expected}, else {@code benchmark.X.expected}, else {@code default.X...}. */
    static byte[] expected(Bench b, String stream) throws IOException {
        for (String prefix : List.of(b.base(), "benchmark", "default")) {
            Path p = b.folder().resolve(prefix + "." + stream + ".expected");
            if (Files.isRegularFile(p)) {
                return Files.readAllBytes(p);
            }
        }
        return null;
    }

    private static String diff(String stream, byte[] expected, byte[] actual) {
        String e = new String(expected, StandardCharsets.UTF_8);
        String a = new String(actual, StandardCharsets.UTF_8);
        int i = 0;
        while (i < e.length() && i < a.length() && e.charAt(i) == a.charAt(i)) {
            i++;
        }
        return String.format(
                Locale.ROOT,
                "%s: %d bytes expected, %d got, first difference at %d: expected '%s', got '%s'",
                stream,
                expected.length,
                actual.length,
                i,
                snippet(e, i),
                snippet(a, i));
    }

    private static String snippet(String s, int at) {
        return s.substring(at, Math.min(s.length(), at + 40)).replace("\n", "\\n");
    }

    private static void printTable(List<Row> rows) {
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "%-22s %14s %14s %12s  %s%n",
                "benchmark",
                "Airlock ms",
                "Node ms",
                "ratio",
                "output");
        List<Double> ratios = new ArrayList<>();
        for (Row r : rows) {
            double ratio = r.airlockMs() / r.nodeMs();
            boolean valid = Double.isFinite(ratio) && r.nodeMs() > 0;
            if (valid) {
                ratios.add(ratio);
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-22s %14s %14s %12s  %s%n",
                    r.name(),
                    fmt(r.airlockMs()),
                    fmt(r.nodeMs()),
                    valid ? String.format(Locale.ROOT, "%.2f", ratio) : "-",
                    r.check());
        }
        if (!ratios.isEmpty()) {
            System.out.printf(
                    Locale.ROOT,
                    "%nmedian of ratios (airlock/node) over %d benchmark(s): %.2f%n",
                    ratios.size(),
                    median(ratios.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        for (Row r : rows) {
            if (!r.note().isEmpty()) {
                System.out.println("note: " + r.name() + ": " + r.note());
            }
        }
    }

    static String fmt(double ms) {
        if (Double.isNaN(ms)) {
            return "-";
        }
        return String.format(Locale.ROOT, ms < 10 ? "%.3f" : "%.1f", ms);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted((x, y) -> y.getNameCount() - x.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
