package dev.airlock.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A comparison table for measurements taken interleaved (Airlock, reference 1, reference 2,
 * Airlock, ...): for each row, the median of Airlock's samples, the median of each reference's
 * samples and the median of the per-pair ratios (Airlock / reference, sample {@code i} against
 * sample {@code i}); below, for each reference, the median of the rows' ratios. A reference with no
 * samples in a row prints {@code -}.
 */
final class SpeedTable {
    private record Row(String name, double[] airlock, Map<String, double[]> refs, String note) {}

    private final String title;
    private final String unit;
    private String subject = "Airlock";
    private final List<String> refs = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();

    SpeedTable(String title, String unit) {
        this.title = title;
        this.unit = unit;
    }

    /** Adds a row; {@code refs} maps a reference's label to its samples (null: not measured). */
    void add(String name, double[] airlock, Map<String, double[]> refs, String note) {
        Map<String, double[]> copy = new LinkedHashMap<>();
        refs.forEach(
                (k, v) -> {
                    if (!this.refs.contains(k)) {
                        this.refs.add(k);
                    }
                    copy.put(k, v);
                });
        rows.add(new Row(name, airlock, copy, note == null ? "" : note));
    }

    /** The first column's label (default Airlock). */
    SpeedTable subject(String label) {
        this.subject = label;
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Median; NaN for no values. */
    static double median(double[] values) {
        if (values == null || values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** The median of {@code a[i] / b[i]} over the pairs both have; NaN if none. */
    static double medianRatio(double[] a, double[] b) {
        if (a == null || b == null) {
            return Double.NaN;
        }
        int n = Math.min(a.length, b.length);
        double[] r = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            double x = a[i] / b[i];
            if (Double.isFinite(x) && b[i] > 0) {
                r[k++] = x;
            }
        }
        return median(Arrays.copyOf(r, k));
    }

    void print(PrintStream out) {
        int w = 24;
        for (Row r : rows) {
            w = Math.max(w, r.name().length() + 1);
        }
        out.println();
        out.println(title);
        StringBuilder head =
                new StringBuilder(
                        String.format(Locale.ROOT, "%-" + w + "s %12s", "", subject + " " + unit));
        for (String ref : refs) {
            head.append(String.format(Locale.ROOT, " %16s %8s", ref + " " + unit, "ratio"));
        }
        out.println(head);
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (Row r : rows) {
            StringBuilder line =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "%-" + w + "s %12s",
                                    r.name(),
                                    fmt(median(r.airlock()))));
            for (String ref : refs) {
                double[] s = r.refs().get(ref);
                double ratio = medianRatio(r.airlock(), s);
                if (Double.isFinite(ratio)) {
                    ratios.computeIfAbsent(ref, k -> new ArrayList<>()).add(ratio);
                }
                line.append(String.format(Locale.ROOT, " %16s %8s", fmt(median(s)), ratio(ratio)));
            }
            out.println(line);
        }
        StringBuilder foot =
                new StringBuilder(
                        String.format(Locale.ROOT, "%-" + w + "s %12s", "median of ratios", ""));
        for (String ref : refs) {
            List<Double> l = ratios.getOrDefault(ref, List.of());
            foot.append(
                    String.format(
                            Locale.ROOT,
                            " %16s %8s",
                            "(" + l.size() + " rows)",
                            ratio(median(l.stream().mapToDouble(Double::doubleValue).toArray()))));
        }
        out.println(foot);
        out.println(
                "  (ratio = median of the per-pair ratios Airlock / reference; above 1: Airlock slower)");
        for (Row r : rows) {
            if (!r.note().isEmpty()) {
                out.println("  note: " + r.name() + ": " + r.note());
            }
        }
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, v < 10 ? "%.3f" : v < 1000 ? "%.1f" : "%.0f", v);
    }

    private static String ratio(double r) {
        if (!Double.isFinite(r)) {
            return "-";
        }
        return String.format(Locale.ROOT, r < 10 ? "%.2f" : "%.1f", r);
    }
}
