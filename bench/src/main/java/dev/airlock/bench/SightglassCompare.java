package dev.airlock.bench;

import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.ModuleInfo;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
 * hides whether the first runs or the last ones are slow. With {@code airlock.bench.cache=DIR},
 * modules are loaded through a disk cache in that folder (as the CLI and the server load them), so
 * a second JVM with the same folder finds them compiled (not with {@code --fuel}).
 *
 * <p>Paths default to {@code bench/target/testdata/sightglass} and {@code
 * bench/tools/sightglass-node-run.mjs}, relative to the working directory (the repository root).
 */
public final class SightglassCompare {
    /** Time limit of a measured Airlock run. */
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

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

    List<SightglassBench> discover() throws IOException {
        return SightglassBench.discover(dir, filter);
    }

    private int runAll() throws Exception {
        List<SightglassBench> benches = discover();
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
        String cache = System.getProperty("airlock.bench.cache");
        Airlock airlock =
                cache == null || cache.isBlank()
                        ? Airlock.create()
                        : Airlock.builder().diskCache(Path.of(cache)).build();
        Path outDir = Files.createTempDirectory("sightglass-node");
        List<SightglassTable.Row> rows = new ArrayList<>();
        boolean failed = false;
        for (SightglassBench b : benches) {
            SightglassTable.Row r = measure(airlock, b, outDir);
            rows.add(r);
            failed |= !r.check().equals("ok") && !r.check().equals("skipped");
            System.out.printf(
                    Locale.ROOT,
                    "  %-22s airlock %s ms, node %s ms, output %s%s%n",
                    r.name(),
                    SightglassTable.fmt(r.airlockMs()),
                    SightglassTable.fmt(r.nodeMs()),
                    r.check(),
                    r.note().isEmpty() ? "" : " (" + r.note() + ")");
        }
        deleteTree(outDir);
        SightglassTable.print(rows);
        return failed ? 1 : 0;
    }

    private SightglassTable.Row measure(Airlock airlock, SightglassBench b, Path outDir)
            throws IOException {
        GuestModule module;
        try {
            module = airlock.load(b.wasm());
        } catch (ModuleRejectedException e) {
            return new SightglassTable.Row(
                    b.name(), Double.NaN, Double.NaN, "rejected", e.getMessage());
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
        SightglassRun warm = warmUp(airlock, module, b, -1);
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

    private SightglassTable.Row measure(
            Airlock airlock,
            GuestModule module,
            SightglassBench b,
            Path folder,
            Mount.Mode mode,
            SightglassRun warm,
            double warmSeconds,
            Path outDir,
            List<String> notes)
            throws IOException {
        byte[] expectedOut = SightglassOutput.expected(b, "stdout");
        byte[] expectedErr = SightglassOutput.expected(b, "stderr");
        String check = "ok";
        if (warm.timedOut() && warmUpLimit().compareTo(TIMEOUT) < 0) {
            notes.add(
                    String.format(
                            Locale.ROOT,
                            "skipped: the warm-up run in Airlock went past %.0f s",
                            maxSeconds));
            return new SightglassTable.Row(
                    b.name(), Double.NaN, Double.NaN, "skipped", String.join("; ", notes));
        }
        if (!warm.problem().isEmpty()) {
            notes.add(warm.problem());
            return new SightglassTable.Row(
                    b.name(), Double.NaN, Double.NaN, "FAILED", String.join("; ", notes));
        }
        if (expectedOut != null && !Arrays.equals(expectedOut, warm.stdout())) {
            check = "STDOUT MISMATCH";
            notes.add(SightglassOutput.diff("stdout", expectedOut, warm.stdout()));
        }
        if (expectedErr != null && !Arrays.equals(expectedErr, warm.stderr())) {
            notes.add(SightglassOutput.diff("stderr", expectedErr, warm.stderr()));
        }
        if (warmSeconds > maxSeconds) {
            notes.add(
                    String.format(
                            Locale.ROOT,
                            "skipped: the warm-up run took %.1f s in Airlock (bench.start..end"
                                    + " %.0f ms)",
                            warmSeconds,
                            warm.ms()));
            return new SightglassTable.Row(
                    b.name(), Double.NaN, Double.NaN, "skipped", String.join("; ", notes));
        }
        double[] air = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            SightglassRun r =
                    SightglassRun.of(
                            airlock, module, b, folder, mode, TIMEOUT, -1, deterministic());
            if (!r.problem().isEmpty()) {
                notes.add(r.problem());
                return new SightglassTable.Row(
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
                NodeWasiRun r = NodeWasiRun.run(nodeBin, nodeScript, b, outDir);
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
                nodeMedian = SightglassTable.median(nd);
            }
        }
        return new SightglassTable.Row(
                b.name(), SightglassTable.median(air), nodeMedian, check, String.join("; ", notes));
    }

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

    /**
     * The warm-up run of {@code b}: in its own folder, read-only (none of the benchmarks writes
     * files), stopped at {@link #warmUpLimit()}; metered with {@code fuelBudget} unless it is
     * negative.
     */
    SightglassRun warmUp(Airlock airlock, GuestModule module, SightglassBench b, long fuelBudget) {
        return SightglassRun.of(
                airlock,
                module,
                b,
                b.folder(),
                Mount.Mode.READ_ONLY,
                warmUpLimit(),
                fuelBudget,
                deterministic());
    }

    /** The warm-up run is stopped at {@code --max-seconds}, and the benchmark then skipped. */
    Duration warmUpLimit() {
        Duration max = Duration.ofMillis((long) (maxSeconds * 1000));
        return max.compareTo(TIMEOUT) < 0 && !max.isZero() && !max.isNegative() ? max : TIMEOUT;
    }

    /**
     * Whether runs use a frozen clock and seeded randomness ({@code --fuel}), so that each does the
     * same work.
     */
    boolean deterministic() {
        return fuel || fuelChild;
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
