package dev.airlock.bench;

import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.Limits;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a module Airlock has never seen costs before it runs, in a warm JVM (a server, the resident
 * process, an evaluation pipeline that runs many generated programs): {@code airlock.load} and the
 * compile of the module as it is ("plain"), and {@code airlock.load} and the compile of its metered
 * copy ("metered", what a run with a fuel budget executes), alternately, each load a module no
 * cache holds (the benchmark's bytes with a custom section of its own appended); and, in the same
 * rounds, {@code airlock.load} and a {@code run} the policy refuses before it starts ("refused":
 * every Sightglass module imports {@code bench.start}, which the default policy does not grant).
 * Prints for each module the medians, load alone ({@code airlock.load}: reading and validating),
 * and the medians of the per-pair ratios metered / plain and refused / plain.
 *
 * <pre>
 * java -Xss16m -XX:-DontCompileHugeMethods -cp bench/target/benchmarks.jar \
 *     dev.airlock.bench.LoadCost [--rounds N] [--warmup N] [--filter REGEX] [--sightglass DIR]
 * </pre>
 *
 * <p>Defaults: 30 measured rounds after 10 unmeasured ones, every {@code .wasm} under {@code
 * bench/target/testdata/sightglass}.
 */
public final class LoadCost {
    private static final Policy PLAIN = Policy.defaults();
    private static final Policy METERED =
            Policy.builder().limits(Limits.builder().fuel(1_000_000_000L).build()).build();

    private int rounds = 30;
    private int warmup = 10;
    private Pattern filter;
    private Path dir = Path.of("bench/target/testdata/sightglass");
    private int variant;

    private LoadCost() {}

    public static void main(String[] args) throws IOException {
        LoadCost c = new LoadCost();
        try {
            c.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("load-cost: " + e.getMessage());
            System.err.println(
                    "usage: LoadCost [--rounds N] [--warmup N] [--filter REGEX] [--sightglass DIR]");
            System.exit(2);
        }
        System.exit(c.run());
    }

    private void parse(String[] args) {
        AbCompare.eachOption(
                args,
                (a, v) -> {
                    switch (a) {
                        case "--rounds" -> rounds = AbCompare.positive(a, v);
                        case "--warmup" -> warmup = Math.max(0, Integer.parseInt(v));
                        case "--filter" -> filter = Pattern.compile(v);
                        case "--sightglass" -> dir = Path.of(v);
                        default -> throw new IllegalArgumentException("unknown option " + a);
                    }
                });
    }

    private int run() throws IOException {
        if (!Files.isDirectory(dir)) {
            System.err.println("load-cost: no folder " + dir.toAbsolutePath());
            return 1;
        }
        List<Path> modules;
        try (Stream<Path> s = Files.walk(dir)) {
            modules =
                    s.filter(p -> p.toString().endsWith(".wasm"))
                            .filter(p -> filter == null || filter.matcher(name(p)).find())
                            .sorted()
                            .collect(Collectors.toList());
        }
        System.out.printf(
                Locale.ROOT,
                "Load cost: %d module(s), %d round(s) each after %d unmeasured; ms%n",
                modules.size(),
                rounds,
                warmup);
        System.out.printf(
                Locale.ROOT,
                "%-22s %10s %10s %10s %10s %16s %16s%n",
                "module",
                "load",
                "plain",
                "metered",
                "refused",
                "metered/plain",
                "refused/plain");
        Airlock airlock = Airlock.create();
        List<Double> ratios = new ArrayList<>();
        List<Double> refusedRatios = new ArrayList<>();
        for (Path p : modules) {
            byte[] bytes = Files.readAllBytes(p);
            double[] load = new double[rounds];
            double[] plain = new double[rounds];
            double[] metered = new double[rounds];
            double[] refused = new double[rounds];
            try {
                for (int r = -warmup; r < rounds; r++) {
                    double[] pl = once(airlock, bytes, PLAIN);
                    double[] me = once(airlock, bytes, METERED);
                    double re = refused(airlock, bytes);
                    if (r >= 0) {
                        load[r] = pl[0];
                        plain[r] = pl[1];
                        metered[r] = me[1];
                        refused[r] = re;
                    }
                }
            } catch (ModuleRejectedException | IllegalStateException e) {
                System.out.printf(Locale.ROOT, "%-22s rejected: %s%n", name(p), e.getMessage());
                continue;
            }
            double ratio = SpeedTable.medianRatio(metered, plain);
            double refusedRatio = SpeedTable.medianRatio(refused, plain);
            ratios.add(ratio);
            refusedRatios.add(refusedRatio);
            System.out.printf(
                    Locale.ROOT,
                    "%-22s %10.2f %10.2f %10.2f %10.2f %16.3f %16.3f%n",
                    name(p),
                    SpeedTable.median(load),
                    SpeedTable.median(plain),
                    SpeedTable.median(metered),
                    SpeedTable.median(refused),
                    ratio,
                    refusedRatio);
        }
        if (!ratios.isEmpty()) {
            System.out.printf(
                    Locale.ROOT,
                    "median of metered/plain over %d module(s): %.3f%n",
                    ratios.size(),
                    SpeedTable.median(ratios.stream().mapToDouble(Double::doubleValue).toArray()));
            System.out.printf(
                    Locale.ROOT,
                    "median of refused/plain over %d module(s): %.3f%n",
                    refusedRatios.size(),
                    SpeedTable.median(
                            refusedRatios.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return 0;
    }

    /**
     * Loads a copy of {@code bytes} no cache holds and inspects it under {@code policy} (which
     * compiles what a run under it would execute): the ms to load it, and to load and compile.
     */
    private double[] once(Airlock airlock, byte[] bytes, Policy policy)
            throws ModuleRejectedException {
        byte[] unique = unique(bytes, variant++);
        long t0 = System.nanoTime();
        GuestModule m = airlock.load(unique);
        long t1 = System.nanoTime();
        airlock.inspect(m, policy);
        long t2 = System.nanoTime();
        return new double[] {(t1 - t0) / 1e6, (t2 - t0) / 1e6};
    }

    /**
     * Loads a copy of {@code bytes} no cache holds and runs it under the default policy, which
     * refuses it before it starts: the ms of both.
     *
     * @throws IllegalStateException if the run was not refused (a module that imports nothing the
     *     policy refuses)
     */
    private double refused(Airlock airlock, byte[] bytes) throws ModuleRejectedException {
        byte[] unique = unique(bytes, variant++);
        long t0 = System.nanoTime();
        GuestModule m = airlock.load(unique);
        Outcome o =
                airlock.run(
                        m,
                        PLAIN,
                        Stdio.of(OutputStream.nullOutputStream(), OutputStream.nullOutputStream()));
        long t1 = System.nanoTime();
        if (o.status() != Status.REJECTED) {
            throw new IllegalStateException("the default policy ran it (" + o.status() + ")");
        }
        return (t1 - t0) / 1e6;
    }

    /** {@code bytes} with a custom section named "v" holding {@code n} appended. */
    static byte[] unique(byte[] bytes, int n) {
        byte[] section = {
            0, 6, 1, 'v', (byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24)
        };
        byte[] out = Arrays.copyOf(bytes, bytes.length + section.length);
        System.arraycopy(section, 0, out, bytes.length, section.length);
        return out;
    }

    /** The benchmark's name: its file's, or its folder's for a {@code benchmark.wasm}. */
    private static String name(Path p) {
        String f = p.getFileName().toString();
        return f.equals("benchmark.wasm")
                ? p.getParent().getFileName().toString()
                : f.substring(0, f.length() - ".wasm".length());
    }
}
