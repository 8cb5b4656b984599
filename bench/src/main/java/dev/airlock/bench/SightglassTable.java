package dev.airlock.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The table {@link SightglassCompare} prints: Airlock against Node, one row per benchmark. */
final class SightglassTable {
    private SightglassTable() {}

    /** The measurements of one benchmark. */
    record Row(String name, double airlockMs, double nodeMs, String check, String note) {}

    /** Prints the rows, the median of their ratios, then the notes. */
    static void print(List<Row> rows) {
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

    /** Milliseconds with three decimals below 10, one above; "-" for NaN. */
    static String fmt(double ms) {
        if (Double.isNaN(ms)) {
            return "-";
        }
        return String.format(Locale.ROOT, ms < 10 ? "%.3f" : "%.1f", ms);
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
