package dev.airlock.bench;

import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.Limits;
import dev.airlock.core.ModuleInfo;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

/**
 * {@code SightglassCompare --fuel}: the overhead of fuel metering. Each benchmark runs unmetered
 * and metered alternately in the same JVM, after warm-up runs of each; the ratio of each pair
 * (metered / unmetered, bench.start to bench.end) is taken, and the table shows the median of those
 * ratios per benchmark and the median over benchmarks.
 */
final class FuelOverhead {
    /** The budget of metered runs: ample for every benchmark. */
    static final long BUDGET = Long.MAX_VALUE / 2;

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private FuelOverhead() {}

    /** One benchmark's figures. */
    private record Row(
            String name, double plainMs, double meteredMs, double ratio, long fuel, String note) {}

    static int run(SightglassCompare c, List<SightglassBench> benches) {
        System.out.printf(
                Locale.ROOT,
                "Fuel overhead: %d benchmark(s), %d metered/unmetered pair(s) each after %d"
                        + " warm-up pair(s), skipping any whose warm-up takes over %.0f s%n",
                benches.size(),
                c.iterations(),
                c.warmup(),
                c.maxSeconds());
        Airlock airlock = Airlock.create();
        List<Row> rows = new ArrayList<>();
        boolean failed = false;
        for (SightglassBench b : benches) {
            Row r = c.forked() ? fork(c, b) : measure(c, airlock, b);
            rows.add(r);
            failed |=
                    !r.note().isEmpty()
                            && !r.note().startsWith("skipped")
                            && !r.note().startsWith("child failed")
                            && !r.note().startsWith("metered:");
            System.out.printf(
                    Locale.ROOT,
                    "  %-22s unmetered %s ms, metered %s ms, ratio %s, fuel %d%s%n",
                    r.name(),
                    SightglassTable.fmt(r.plainMs()),
                    SightglassTable.fmt(r.meteredMs()),
                    Double.isNaN(r.ratio()) ? "-" : String.format(Locale.ROOT, "%.3f", r.ratio()),
                    r.fuel(),
                    r.note().isEmpty() ? "" : " (" + r.note() + ")");
        }
        print(rows);
        return failed ? 1 : 0;
    }

    /**
     * Runs one benchmark in a fresh JVM with the same options: the JIT's profiles then hold one
     * module's code (both variants) instead of every benchmark's run so far.
     */
    private static Row fork(SightglassCompare c, SightglassBench b) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SightglassCompare.class.getName());
        cmd.add("--fuel-child");
        cmd.add("--iterations");
        cmd.add(Integer.toString(c.iterations()));
        cmd.add("--warmup");
        cmd.add(Integer.toString(c.warmup()));
        cmd.add("--max-seconds");
        cmd.add(Double.toString(c.maxSeconds()));
        cmd.add("--sightglass");
        cmd.add(c.dir().toString());
        cmd.add("--filter");
        cmd.add("^" + Pattern.quote(b.name()) + "$");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            for (String line : out.split("\n")) {
                if (line.startsWith(CHILD_ROW)) {
                    String[] f = line.substring(CHILD_ROW.length()).split("\t", -1);
                    return new Row(
                            f[0],
                            Double.parseDouble(f[1]),
                            Double.parseDouble(f[2]),
                            Double.parseDouble(f[3]),
                            Long.parseLong(f[4]),
                            f[5]);
                }
            }
            return new Row(
                    b.name(),
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    -1,
                    "child failed: " + out.strip());
        } catch (IOException e) {
            return new Row(b.name(), Double.NaN, Double.NaN, Double.NaN, -1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Row(b.name(), Double.NaN, Double.NaN, Double.NaN, -1, "interrupted");
        }
    }

    private static final String CHILD_ROW = "fuel-row\t";

    /** In the child JVM of {@link #fork}: measures one benchmark and prints its row. */
    static int child(SightglassCompare c, List<SightglassBench> benches) {
        for (SightglassBench b : benches) {
            Row r = measure(c, Airlock.create(), b);
            System.out.println(
                    CHILD_ROW
                            + String.join(
                                    "\t",
                                    r.name(),
                                    Double.toString(r.plainMs()),
                                    Double.toString(r.meteredMs()),
                                    Double.toString(r.ratio()),
                                    Long.toString(r.fuel()),
                                    r.note().replace('\t', ' ').replace('\n', ' ')));
        }
        return 0;
    }

    private static Row measure(SightglassCompare c, Airlock airlock, SightglassBench b) {
        GuestModule module;
        try {
            module = airlock.load(b.wasm());
        } catch (ModuleRejectedException e) {
            return new Row(b.name(), Double.NaN, Double.NaN, Double.NaN, -1, e.getMessage());
        }
        Mount.Mode ro = Mount.Mode.READ_ONLY;
        try {
            byte[] expected = SightglassOutput.expected(b, "stdout");
            long w0 = System.nanoTime();
            SightglassRun warm = c.warmUp(airlock, module, b, -1);
            double plainWarm = (System.nanoTime() - w0) / 1e9;
            if (!warm.problem().isEmpty() || plainWarm > c.maxSeconds()) {
                String why =
                        warm.problem().isEmpty() || warm.timedOut()
                                ? String.format(
                                        Locale.ROOT,
                                        "skipped: the warm-up run took over %.0f s",
                                        c.maxSeconds())
                                : warm.problem();
                return new Row(b.name(), Double.NaN, Double.NaN, Double.NaN, -1, why);
            }
            SightglassRun mwarm = c.warmUp(airlock, module, b, BUDGET);
            if (!mwarm.problem().isEmpty()) {
                String why =
                        mwarm.timedOut()
                                ? String.format(
                                        Locale.ROOT,
                                        "skipped: the metered warm-up run took over %.0f s",
                                        c.maxSeconds())
                                : mwarm.problem();
                String interp = interpreted(airlock, module);
                return new Row(
                        b.name(),
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        -1,
                        why + (interp.isEmpty() ? "" : "; " + interp));
            }
            long fuel = mwarm.fuel();
            // one measured run: unmetered with -1, else metered with that budget
            LongFunction<SightglassRun> run =
                    budget ->
                            SightglassRun.of(
                                    airlock,
                                    module,
                                    b,
                                    b.folder(),
                                    ro,
                                    TIMEOUT,
                                    budget,
                                    c.deterministic());
            for (int i = 1; i < c.warmup(); i++) {
                // more warm-up pairs: the JIT takes longer over the bigger metered code
                run.apply(-1);
                run.apply(BUDGET);
            }
            String interp = interpreted(airlock, module);
            int n = c.iterations();
            double[] plain = new double[n];
            double[] metered = new double[n];
            double[] ratios = new double[n];
            String note = interp;
            for (int i = 0; i < n; i++) {
                SightglassRun p = run.apply(-1);
                SightglassRun m = run.apply(BUDGET);
                if (!p.problem().isEmpty() || !m.problem().isEmpty()) {
                    return new Row(
                            b.name(),
                            Double.NaN,
                            Double.NaN,
                            Double.NaN,
                            fuel,
                            p.problem() + m.problem());
                }
                if (m.fuel() != fuel) {
                    note = "FUEL DIFFERS between runs: " + fuel + " and " + m.fuel();
                }
                if (expected != null
                        && (!Arrays.equals(expected, p.stdout())
                                || !Arrays.equals(expected, m.stdout()))) {
                    note = "STDOUT MISMATCH";
                }
                plain[i] = p.ms();
                metered[i] = m.ms();
                ratios[i] = m.ms() / p.ms();
            }
            return new Row(
                    b.name(),
                    SightglassTable.median(plain),
                    SightglassTable.median(metered),
                    SightglassTable.median(ratios),
                    fuel,
                    note);
        } catch (IOException e) {
            return new Row(b.name(), Double.NaN, Double.NaN, Double.NaN, -1, e.toString());
        }
    }

    /** A note if the compiler left more functions to the interpreter metered than not. */
    private static String interpreted(Airlock airlock, GuestModule module) {
        Policy metered = Policy.builder().limits(Limits.builder().fuel(BUDGET).build()).build();
        ModuleInfo plain = airlock.inspect(module, Policy.defaults());
        ModuleInfo m = airlock.inspect(module, metered);
        if (m.interpretedFunctions().size() > plain.interpretedFunctions().size()
                || m.compiled() != plain.compiled()) {
            return "metered: "
                    + m.interpretedFunctions().size()
                    + " function(s) left to the interpreter, unmetered "
                    + plain.interpretedFunctions().size();
        }
        return "";
    }

    private static void print(List<Row> rows) {
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "%-22s %14s %14s %8s %20s%n",
                "benchmark",
                "unmetered ms",
                "metered ms",
                "ratio",
                "fuel");
        List<Double> ratios = new ArrayList<>();
        for (Row r : rows) {
            boolean valid = Double.isFinite(r.ratio());
            if (valid) {
                ratios.add(r.ratio());
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-22s %14s %14s %8s %20s%n",
                    r.name(),
                    SightglassTable.fmt(r.plainMs()),
                    SightglassTable.fmt(r.meteredMs()),
                    valid ? String.format(Locale.ROOT, "%.3f", r.ratio()) : "-",
                    r.fuel() < 0 ? "-" : Long.toString(r.fuel()));
        }
        if (!ratios.isEmpty()) {
            double median =
                    SightglassTable.median(
                            ratios.stream().mapToDouble(Double::doubleValue).toArray());
            System.out.printf(
                    Locale.ROOT,
                    "%nmedian of ratios (metered/unmetered) over %d benchmark(s): %.3f"
                            + " (overhead %+.1f%%)%n",
                    ratios.size(),
                    median,
                    (median - 1) * 100);
        }
        for (Row r : rows) {
            if (!r.note().isEmpty()) {
                System.out.println("note: " + r.name() + ": " + r.note());
            }
        }
    }
}
