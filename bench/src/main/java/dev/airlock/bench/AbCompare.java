package dev.airlock.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sightglass first runs under two or more JVM set-ups, each round one fresh JVM per set-up, their
 * order turned by one each round, so that every set-up sees the same load on a shared machine: the
 * evidence for a JVM option, another {@code java}, or another build (bench/README, session 42).
 * Each JVM runs {@link SightglassCompare} once ({@code --no-node}, one warm-up run, then {@code
 * --first} runs of each benchmark); a benchmark's figure in a JVM is the median of those runs, and
 * its figure for a set-up the median over the rounds. Prints the figures, each set-up's ratio to
 * the first set-up's, and the geometric mean of those ratios over the benchmarks.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.airlock.bench.AbCompare \
 *     --config NAME=OPTIONS --config NAME=OPTIONS ... [--rounds N] [--first K] [--filter REGEX]
 *     [--max-seconds S] [--main CLASS [--args "ARGS"]]
 * </pre>
 *
 * <p>With {@code --main}, each JVM runs that class of this jar instead ({@code MixedRuns}, say,
 * with {@code --args}), and every line it prints as {@code NAME each run (ms): [...]} is a figure.
 *
 * <p>OPTIONS are JVM options separated by spaces ({@code -} for none), added after the ones {@code
 * bench/speed} uses ({@code -Xss16m -XX:-DontCompileHugeMethods}); among them {@code java=PATH}
 * names another {@code java} and {@code jar=PATH} another build's benchmarks jar. Defaults: 3
 * rounds, 3 runs, every benchmark, 30 s.
 */
public final class AbCompare {
    private static final Pattern EACH = Pattern.compile("^(\\S+) each run \\(ms\\): \\[(.*)\\]$");

    /** One set-up: its name, {@code java}, class path and extra JVM options. */
    record Setup(String name, String java, String jar, List<String> options) {
        static Setup parse(String spec, String java, String jar) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--config wants NAME=OPTIONS: " + spec);
            }
            List<String> options = new ArrayList<>();
            String j = java;
            String cp = jar;
            for (String o : spec.substring(eq + 1).trim().split("\\s+")) {
                if (o.isEmpty() || o.equals("-")) {
                    continue;
                }
                if (o.startsWith("java=")) {
                    j = o.substring(5);
                } else if (o.startsWith("jar=")) {
                    cp = o.substring(4);
                } else {
                    options.add(o);
                }
            }
            return new Setup(spec.substring(0, eq), j, cp, List.copyOf(options));
        }
    }

    private final List<String> specs = new ArrayList<>();
    private int rounds = 3;
    private int first = 3;
    private int maxSeconds = 30;
    private String filter;
    private String main;
    private List<String> mainArgs = List.of();

    private AbCompare() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        AbCompare c = new AbCompare();
        List<Setup> setups;
        try {
            setups = c.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ab-compare: " + e.getMessage());
            System.err.println(
                    "usage: AbCompare --config NAME=OPTIONS --config NAME=OPTIONS ... [--rounds N]"
                            + " [--first K] [--filter REGEX] [--max-seconds S] [--main CLASS"
                            + " [--args ARGS]]");
            System.exit(2);
            return;
        }
        System.exit(c.run(setups));
    }

    /**
     * Gives {@code take} each option of {@code args} with its value (every option has one).
     *
     * @throws IllegalArgumentException if the last option has no value, or as {@code take} throws
     */
    static void eachOption(String[] args, java.util.function.BiConsumer<String, String> take) {
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            take.accept(args[i], args[i + 1]);
        }
    }

    private List<Setup> parse(String[] args) {
        eachOption(
                args,
                (a, v) -> {
                    switch (a) {
                        case "--config" -> specs.add(v);
                        case "--rounds" -> rounds = positive(a, v);
                        case "--first" -> first = positive(a, v);
                        case "--max-seconds" -> maxSeconds = positive(a, v);
                        case "--filter" -> filter = Pattern.compile(v).pattern();
                        case "--main" -> main = v.contains(".") ? v : "dev.airlock.bench." + v;
                        case "--args" ->
                                mainArgs =
                                        v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
                        default -> throw new IllegalArgumentException("unknown option " + a);
                    }
                });
        if (specs.size() < 2) {
            throw new IllegalArgumentException("give at least two --config");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = ownJar();
        List<Setup> out = new ArrayList<>();
        for (String s : specs) {
            out.add(Setup.parse(s, java, jar));
        }
        return out;
    }

    /** A command-line count of at least 1 (also LoadCost's). */
    static int positive(String option, String v) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " wants a number: " + v);
        }
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1: " + v);
        }
        return n;
    }

    private static String ownJar() {
        try {
            return Path.of(
                            AbCompare.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI())
                    .toString();
        } catch (URISyntaxException | RuntimeException e) {
            return "bench/target/benchmarks.jar";
        }
    }

    private int run(List<Setup> setups) throws IOException, InterruptedException {
        // setup -> benchmark -> one figure per round
        List<Map<String, List<Double>>> figures = new ArrayList<>();
        for (int s = 0; s < setups.size(); s++) {
            figures.add(new LinkedHashMap<>());
        }
        int failed = 0;
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < setups.size(); k++) {
                int s = (r + k) % setups.size();
                Setup setup = setups.get(s);
                long t0 = System.nanoTime();
                Map<String, Double> one = oneJvm(setup);
                System.out.printf(
                        Locale.ROOT,
                        "round %d/%d  %-12s %d benchmark(s) in %.0f s%n",
                        r + 1,
                        rounds,
                        setup.name(),
                        one.size(),
                        (System.nanoTime() - t0) / 1e9);
                if (one.isEmpty()) {
                    failed++;
                }
                one.forEach(
                        (b, ms) ->
                                figures.get(s).computeIfAbsent(b, x -> new ArrayList<>()).add(ms));
            }
        }
        print(setups, figures);
        return failed == 0 ? 0 : 1;
    }

    /** One fresh JVM of {@code setup}: each benchmark's median of its first runs. */
    private Map<String, Double> oneJvm(Setup setup) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(setup.java());
        cmd.add("-Xss16m");
        cmd.add("-XX:-DontCompileHugeMethods");
        cmd.addAll(setup.options());
        cmd.add("-Dairlock.bench.each=true");
        cmd.addAll(List.of("-cp", setup.jar()));
        if (main != null) {
            cmd.add(main);
            cmd.addAll(mainArgs);
        } else {
            cmd.addAll(List.of(SightglassCompare.class.getName(), "--no-node"));
            cmd.addAll(List.of("--iterations", Integer.toString(first)));
            cmd.addAll(List.of("--max-seconds", Integer.toString(maxSeconds)));
            if (filter != null) {
                cmd.addAll(List.of("--filter", filter));
            }
        }
        Path log = Files.createTempFile("airlock-ab", ".txt");
        try {
            Process p =
                    new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            if (!p.waitFor(2, TimeUnit.HOURS)) {
                p.destroyForcibly().waitFor();
            }
            Map<String, Double> out = new LinkedHashMap<>();
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (String line : lines) {
                Matcher m = EACH.matcher(line.trim());
                if (m.matches()) {
                    double[] xs =
                            Arrays.stream(m.group(2).split(","))
                                    .mapToDouble(x -> Double.parseDouble(x.trim()))
                                    .toArray();
                    out.put(
                            m.group(1),
                            SpeedTable.median(Arrays.copyOf(xs, Math.min(first, xs.length))));
                }
            }
            if (p.exitValue() != 0 || out.isEmpty()) {
                System.out.println(
                        "  " + setup.name() + " exited " + p.exitValue() + ": " + tail(lines));
            }
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String tail(List<String> lines) {
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    private void print(List<Setup> setups, List<Map<String, List<Double>>> figures) {
        System.out.printf(
                Locale.ROOT,
                "%n%s (ms): each JVM's median of its first %d run(s), then the median over %d"
                        + " round(s); ratio = set-up / %s%n",
                main == null ? "Sightglass first runs, after 1 warm-up run" : main,
                first,
                rounds,
                setups.get(0).name());
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-22s", "benchmark"));
        for (Setup s : setups) {
            head.append(String.format(Locale.ROOT, "%14s", s.name()));
        }
        for (int s = 1; s < setups.size(); s++) {
            head.append(String.format(Locale.ROOT, "%14s", "ratio " + (s + 1)));
        }
        System.out.println(head);
        // in the order the first set-up printed them (then any others, sorted)
        LinkedHashSet<String> names = new LinkedHashSet<>(figures.get(0).keySet());
        TreeSet<String> rest = new TreeSet<>();
        figures.forEach(f -> rest.addAll(f.keySet()));
        names.addAll(rest);
        double[] logSum = new double[setups.size()];
        int[] logCount = new int[setups.size()];
        for (String b : names) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-22s", b));
            double[] med = new double[setups.size()];
            for (int s = 0; s < setups.size(); s++) {
                List<Double> xs = figures.get(s).get(b);
                med[s] =
                        xs == null
                                ? Double.NaN
                                : SpeedTable.median(
                                        xs.stream().mapToDouble(Double::doubleValue).toArray());
                row.append(String.format(Locale.ROOT, "%14.3f", med[s]));
            }
            for (int s = 1; s < setups.size(); s++) {
                double ratio = med[s] / med[0];
                row.append(String.format(Locale.ROOT, "%14.3f", ratio));
                if (ratio > 0 && Double.isFinite(ratio)) {
                    logSum[s] += Math.log(ratio);
                    logCount[s]++;
                }
            }
            System.out.println(row);
        }
        for (int s = 1; s < setups.size(); s++) {
            System.out.printf(
                    Locale.ROOT,
                    "geometric mean of ratios, %s / %s: %.3f over %d benchmark(s)%n",
                    setups.get(s).name(),
                    setups.get(0).name(),
                    logCount[s] == 0 ? Double.NaN : Math.exp(logSum[s] / logCount[s]),
                    logCount[s]);
        }
    }
}
